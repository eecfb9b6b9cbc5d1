import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Ceremony } from '../ceremonies/ceremony.entity';

export const VOLUNTEER_STATUSES = ['pending', 'confirmed', 'withdrawn'] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];

/**
 * A person who signed up to volunteer at one edition. `pending` until the address is confirmed
 * (double opt-in); `withdrawn` rows keep no personal data at all (every personal column is null),
 * only the fact that someone signed up and left, for anonymous counts.
 */
@Entity('volunteers')
// One volunteer per address and edition, whatever the case of the address (expression index in the migration).
@Index('volunteers_ceremony_email_key', { synchronize: false })
@Index('volunteers_token_hash_key', ['tokenHash'], { unique: true })
@Index('volunteers_pending_expiry_idx', ['expiresAt'], { where: `"status" = 'pending'` })
@Check('volunteers_status_check', `"status" IN ('pending', 'confirmed', 'withdrawn')`)
@Check(
  'volunteers_erased_check',
  `"status" <> 'withdrawn' OR ("name" IS NULL AND "email" IS NULL AND "phone" IS NULL AND "note" IS NULL AND "languages" IS NULL AND "token_hash" IS NULL)`,
)
export class Volunteer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('volunteers_ceremony_idx')
  @Column({ name: 'ceremony_id', type: 'uuid' })
  ceremonyId!: string;

  @ManyToOne(() => Ceremony, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'volunteers_ceremony_fk' })
  ceremony?: Ceremony;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: VolunteerStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  /** As typed by the person; uniqueness per edition is case-insensitive. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 2, array: true, nullable: true })
  languages!: string[] | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Language of correspondence chosen by the person (az, en, ru). */
  @Column({ type: 'varchar', length: 2, nullable: true })
  locale!: string | null;

  @Column({ name: 'consent_reminders', type: 'boolean', default: false })
  consentReminders!: boolean;

  /**
   * SHA-256 of the private token. The same token confirms the sign-up and then manages it
   * (X-Manage-Token); a re-sent confirmation or an organizer's approval replaces it.
   */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, nullable: true })
  tokenHash!: string | null;

  /**
   * When the opt-in email was last sent again because the address signed up again (null: only
   * the first one went out). Re-sends are throttled from here, one per SIGNUP_RESEND_MINUTES.
   */
  @Column({ name: 'confirmation_resent_at', type: 'timestamptz', nullable: true })
  confirmationResentAt!: Date | null;

  /** Until when a pending sign-up can be confirmed; purged afterwards. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** Order of confirmation (from volunteer_queue_seq), taken while the chosen roles are locked. */
  @Column({ name: 'confirmation_seq', type: 'bigint', nullable: true })
  confirmationSeq!: string | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
