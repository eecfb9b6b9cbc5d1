import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Locale } from '../config/commemoration.config';

export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/**
 * A person who asked to be reminded every year. Double opt-in: `pending` until the emailed link
 * is used; unconfirmed rows expire and are purged. The email is stored lower-cased, so the unique
 * key is a unique lower(email).
 */
@Entity('subscribers')
@Check('subscribers_status_check', `"status" IN ('pending', 'confirmed', 'unsubscribed')`)
@Check('subscribers_email_lower_check', `"email" = lower("email")`)
@Check('subscribers_locale_check', `"locale" IN ('az', 'en', 'ru')`)
export class Subscriber {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('subscribers_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 2 })
  locale!: Locale;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: SubscriberStatus;

  /** SHA-256 of the confirmation token; kept after confirmation so a second click still answers 200. */
  @Index('subscribers_confirm_token_key', { unique: true })
  @Column({ name: 'confirm_token_hash', type: 'varchar', length: 64, nullable: true })
  confirmTokenHash!: string | null;

  /** When the last confirmation email went out (re-sends are throttled). */
  @Column({ name: 'confirm_sent_at', type: 'timestamptz', nullable: true })
  confirmSentAt!: Date | null;

  /** A pending subscription (and its token) is void after this. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'unsubscribed_at', type: 'timestamptz', nullable: true })
  unsubscribedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
