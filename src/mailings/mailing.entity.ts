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
import type { Locale } from '../config/commemoration.config';

export const MAILING_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled', 'stopped'] as const;
export type MailingStatus = (typeof MAILING_STATUSES)[number];

export interface MailingAudience {
  kind: string;
  ceremonyId?: string | null;
  filters?: Record<string, unknown> | null;
  /** Set by the annual reminders: sources then include only people who consented to reminders. */
  purpose?: 'reminder';
}

export interface LocalizedContent {
  subject: string;
  text: string;
  html?: string | null;
}

export type MailingContent = Partial<Record<Locale, LocalizedContent>>;

/**
 * One message written once in several languages, sent to an audience. `scheduled` and `sending`
 * mailings have frozen deliveries (one row per recipient) that the deliveries queue works through.
 */
@Entity('mailings')
@Check('mailings_status_check', `"status" IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled', 'stopped')`)
@Index('mailings_created_at_idx', ['createdAt'])
export class Mailing {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: MailingStatus;

  @Column({ type: 'jsonb' })
  audience!: MailingAudience;

  @Column({ name: 'ceremony_id', type: 'uuid', nullable: true })
  ceremonyId!: string | null;

  @ManyToOne(() => Ceremony, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'ceremony_id', foreignKeyConstraintName: 'mailings_ceremony_id_fkey' })
  ceremony?: Ceremony | null;

  @Column({ type: 'jsonb' })
  content!: MailingContent;

  /** Who or what made it: "staff" or e.g. "reminder". */
  @Column({ type: 'varchar', length: 40, default: 'staff' })
  origin!: string;

  @Column({ name: 'send_at', type: 'timestamptz', nullable: true })
  sendAt!: Date | null;

  @Column({ name: 'frozen_at', type: 'timestamptz', nullable: true })
  frozenAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'stopped_reason', type: 'text', nullable: true })
  stoppedReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
