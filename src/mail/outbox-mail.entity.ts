import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A transactional message (a booking's confirmation, a volunteer's opt-in link...) waiting to be
 * sent. It is written in the transaction that decided it, so it exists exactly when that change
 * was committed, and it is sent by MailOutboxProcessor with retries. The message is sealed
 * (AES-256-GCM, see mail-outbox.service.ts): it carries personal links, which must not be readable
 * from the database. A sent row is deleted; a row that failed for good keeps only its error.
 */
@Entity('mail_outbox')
@Check('mail_outbox_status_check', `"status" IN ('queued', 'sending', 'failed', 'dropped')`)
@Index('mail_outbox_due_idx', ['nextAttemptAt', 'id'], { where: `"status" = 'queued'` })
@Index('mail_outbox_claimed_idx', ['claimedAt'], { where: `"claimed_at" IS NOT NULL` })
export class OutboxMail {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'mail_outbox_pkey' })
  id!: string;

  /** What the message is, e.g. "visit.confirmed" (for logs and metrics; never personal). */
  @Column({ type: 'varchar', length: 60 })
  kind!: string;

  /** The sealed message; NULL once it failed for good. */
  @Column({ type: 'bytea', nullable: true })
  sealed!: Buffer | null;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  /** dropped: not sent, over the recipient's hourly bound (MAIL_RECIPIENT_HOURLY_LIMIT); kept without the message. */
  status!: 'queued' | 'sending' | 'failed' | 'dropped';

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** Set only while an instance holds the row ('sending'); a lease past MAILING_LEASE_SECONDS is claimed again. */
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'claimed_by', type: 'varchar', length: 100, nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
