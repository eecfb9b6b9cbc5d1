import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The ledger: one row per recipient of a mailing. The unique (mailing_id, email) key (email is
 * lower-cased) is what makes "one address once per mailing" hold whatever happens.
 */
@Entity('deliveries')
@Check('deliveries_status_check', `"status" IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'cancelled')`)
@Check('deliveries_email_lower_check', `"email" = lower("email")`)
@Index('deliveries_mailing_email_key', ['mailingId', 'email'], { unique: true })
@Index('deliveries_mailing_status_idx', ['mailingId', 'status'])
// (next_attempt_at, id): the claim's ORDER BY, so a claim reads the first rows of the index and stops.
@Index('deliveries_due_idx', ['nextAttemptAt', 'id'], { where: `"status" = 'queued'` })
// Only rows in flight have a claimed_at (it is cleared when a row leaves 'sending'), so this index
// finds expired leases. It is deliberately not a partial index on status = 'sending': the planner
// would pick such an index for every "WHERE status = 'sending' AND claimed_by = ..." update and walk
// the entries of every row sent since the last vacuum (docs/PERFORMANCE.md).
@Index('deliveries_claimed_idx', ['claimedAt'], { where: `"claimed_at" IS NOT NULL` })
@Index('deliveries_sent_at_idx', ['sentAt'], { where: `"sent_at" IS NOT NULL` })
export class Delivery {
  /** Sequential, so recipients are read in keyset order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'deliveries_pkey' })
  id!: string;

  /**
   * The mailing. No foreign-key constraint: its per-row check would be a third of the time of freezing a
   * large audience, and only the freeze writes deliveries, under the mailing's row lock. A trigger on
   * mailings deletes a mailing's deliveries with it (migration DeliveriesFollowMailingWithoutRowCheck).
   */
  @Column({ name: 'mailing_id', type: 'uuid' })
  mailingId!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  locale!: string | null;

  /** Which audience source produced the recipient (e.g. "subscriber"), and its record. */
  @Column({ name: 'source_type', type: 'varchar', length: 30 })
  sourceType!: string;

  @Column({ name: 'source_id', type: 'varchar', length: 64, nullable: true })
  sourceId!: string | null;

  @Column({ name: 'manage_url', type: 'text', nullable: true })
  manageUrl!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** Set while the row is in flight ('sending'), else NULL. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'claimed_by', type: 'varchar', length: 100, nullable: true })
  claimedBy!: string | null;

  /** Written before the message is handed to SMTP, so a re-send after a crash reuses it. */
  @Column({ name: 'message_id', type: 'varchar', length: 300, nullable: true })
  messageId!: string | null;

  /** SHA-256 of this recipient's unsubscribe token. */
  // Partial (here and below): the freeze inserts rows without tokens, and need not index them.
  @Index('deliveries_unsubscribe_token_key', { unique: true, where: '"unsubscribe_token_hash" IS NOT NULL' })
  @Column({ name: 'unsubscribe_token_hash', type: 'varchar', length: 64, nullable: true })
  unsubscribeTokenHash!: string | null;

  /** The token of an earlier attempt that may have reached the recipient (crash window). */
  @Index('deliveries_previous_token_idx', { where: '"previous_token_hash" IS NOT NULL' })
  @Column({ name: 'previous_token_hash', type: 'varchar', length: 64, nullable: true })
  previousTokenHash!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** The server's reply to the last attempt (accepted or refused). */
  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'skip_reason', type: 'varchar', length: 60, nullable: true })
  skipReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
