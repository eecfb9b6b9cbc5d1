import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type JobStatus = 'queued' | 'running' | 'failed' | 'dropped';

/**
 * One unit of background work: sending a transactional mail (`mail.send`), deciding a request a
 * public route answered before deciding it (`volunteer.sign-up`...). It is written in the
 * transaction that caused it, so it exists exactly when that change was committed. The payload is
 * sealed (AES-256-GCM, see jobs.service.ts): a mail carries personal links, which must not be
 * readable from the database. A done row is deleted; a row that failed for good keeps only its error.
 */
@Entity('jobs')
@Check('jobs_status_check', `"status" IN ('queued', 'running', 'failed', 'dropped')`)
@Index('jobs_due_idx', ['runAt', 'id'], { where: `"status" = 'queued'` })
@Index('jobs_claimed_idx', ['claimedAt'], { where: `"claimed_at" IS NOT NULL` })
export class Job {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'jobs_pkey' })
  id!: string;

  /** What the job does, e.g. "mail.send": the name its handler is declared with (@JobHandler). */
  @Column({ type: 'varchar', length: 60 })
  kind!: string;

  /** The sealed payload; NULL once the job failed for good. */
  @Column({ type: 'bytea', nullable: true })
  payload!: Buffer | null;

  /** dropped: a mail not sent, over the recipient's hourly bound (MAIL_RECIPIENT_HOURLY_LIMIT); kept without its payload. */
  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status!: JobStatus;

  /** Claims so far (an attempt is counted when it is claimed). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'run_at', type: 'timestamptz' })
  runAt!: Date;

  /** Set only while an instance holds the row ('running'); a lease past JOBS_LEASE_SECONDS is claimed again. */
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
