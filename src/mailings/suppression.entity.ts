import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const SUPPRESSION_REASONS = ['unsubscribed', 'erased', 'bounced', 'complaint'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * Addresses that receive no bulk mail at all (mailings and reminders), keyed by the lower-cased
 * address. Checked when a mailing is frozen and again just before each message is sent.
 */
@Entity('suppressions')
@Check('suppressions_email_lower_check', `"email" = lower("email")`)
@Check('suppressions_reason_check', `"reason" IN ('unsubscribed', 'erased', 'bounced', 'complaint')`)
export class Suppression {
  @PrimaryColumn({ type: 'varchar', length: 254, primaryKeyConstraintName: 'suppressions_pkey' })
  email!: string;

  @Column({ type: 'varchar', length: 20 })
  reason!: SuppressionReason;

  /** Where it came from, e.g. "delivery:123" for a one-click unsubscribe. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  source!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
