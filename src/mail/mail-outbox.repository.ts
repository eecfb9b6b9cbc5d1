import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { rowsOf } from '../database/sql-rows';
import { OutboxMail } from './outbox-mail.entity';

/** One message to write: by MailOutboxRepository.insert, or by a statement that writes it together with its cause. */
export interface OutboxEntry {
  kind: string;
  sealed: Buffer;
  dueAt: Date;
}

export interface ClaimedOutboxMail {
  id: string;
  kind: string;
  sealed: Buffer | null;
  /** Claims so far, this one included. */
  attempts: number;
}

export interface OutboxOutcome {
  id: string;
  /** sent: the row goes; queued: tried again at `retryAt`; failed/dropped: kept with its error, without the message. */
  status: 'sent' | 'queued' | 'failed' | 'dropped';
  error: string | null;
  retryAt: Date | null;
}

/** The column list for a statement that writes an outbox row itself (see VisitsRepository.bookIfSeatsFree). */
export const OUTBOX_INSERT = 'INSERT INTO mail_outbox (kind, sealed, next_attempt_at)';

@Injectable()
export class MailOutboxRepository {
  constructor(@InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>) {}

  /** In the caller's transaction when a manager is given, so the messages exist exactly when its change does. */
  async insert(entries: readonly OutboxEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    await (manager ?? this.outbox.manager).query(
      `${OUTBOX_INSERT} SELECT * FROM unnest($1::text[], $2::bytea[], $3::timestamptz[])`,
      [entries.map((entry) => entry.kind), entries.map((entry) => entry.sealed), entries.map((entry) => entry.dueAt)],
    );
  }

  /**
   * Claims due messages for this instance, like DeliveriesRepository.claim: SKIP LOCKED, each kind of
   * due row from its own partial index, and a row another instance left 'sending' past the lease
   * is due again (never this instance's own, which it is still sending).
   */
  async claim(instanceId: string, limit: number, now: Date, leaseSeconds: number): Promise<ClaimedOutboxMail[]> {
    if (limit <= 0) return [];
    return rowsOf<ClaimedOutboxMail>(
      await this.outbox.query(
        `WITH expired AS MATERIALIZED (
         SELECT id FROM mail_outbox WHERE status = 'sending' AND claimed_at < $2::timestamptz - make_interval(secs => $4) AND claimed_by <> $3
          ORDER BY claimed_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       due AS MATERIALIZED (
         SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $2
          ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED),
       picked AS (SELECT id FROM expired UNION ALL (SELECT id FROM due LIMIT greatest($1 - (SELECT count(*) FROM expired), 0)))
       UPDATE mail_outbox o SET status = 'sending', claimed_at = $2, claimed_by = $3, attempts = o.attempts + 1, updated_at = now()
         FROM picked WHERE o.id = picked.id
       RETURNING o.id::text, o.kind, o.sealed, o.attempts`,
        [limit, now, instanceId, leaseSeconds],
      ),
    );
  }

  /** Writes a group of outcomes in one statement; only rows this instance still holds change. */
  async recordOutcomes(outcomes: readonly OutboxOutcome[], instanceId: string): Promise<void> {
    if (outcomes.length === 0) return;
    await this.outbox.query(
      `WITH o AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) AS o(id, status, error, retry_at)),
       gone AS (DELETE FROM mail_outbox m USING o WHERE m.id = o.id AND o.status = 'sent' AND m.status = 'sending' AND m.claimed_by = $5)
       UPDATE mail_outbox m SET status = o.status, last_error = o.error, next_attempt_at = COALESCE(o.retry_at, m.next_attempt_at),
              sealed = CASE WHEN o.status IN ('failed', 'dropped') THEN NULL ELSE m.sealed END, claimed_at = NULL, claimed_by = NULL, updated_at = now()
         FROM o WHERE m.id = o.id AND o.status <> 'sent' AND m.status = 'sending' AND m.claimed_by = $5`,
      [
        outcomes.map((outcome) => outcome.id),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.error),
        outcomes.map((outcome) => outcome.retryAt),
        instanceId,
      ],
    );
  }

  /** Gives claimed rows back unsent (shutdown): due at once, the claim not counted as an attempt. */
  async release(ids: readonly string[], instanceId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.outbox.query(
      `UPDATE mail_outbox SET status = 'queued', attempts = attempts - 1, claimed_at = NULL, claimed_by = NULL, updated_at = now()
        WHERE id = ANY($1::bigint[]) AND status = 'sending' AND claimed_by = $2`,
      [ids, instanceId],
    );
  }

  async hasDue(now: Date): Promise<boolean> {
    const [row] = (await this.outbox.query(
      `SELECT EXISTS (SELECT 1 FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $1) AS due`,
      [now],
    )) as Array<{ due: boolean }>;
    return row.due;
  }
}
