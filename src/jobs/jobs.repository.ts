import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { rowsOf } from '../database/sql-rows';
import { Job } from './job.entity';

/** One job to write: by JobsRepository.insert, or by a feature's statement through `enqueueJobSql`. */
export interface JobEntry {
  kind: string;
  payload: Buffer;
  runAt: Date;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Buffer | null;
  /** Claims so far, this one included. */
  attempts: number;
}

export interface JobOutcome {
  id: string;
  /** done: the row goes; queued: run again at `retryAt`; failed/dropped: kept with its error, without the payload. */
  status: 'done' | 'queued' | 'failed' | 'dropped';
  error: string | null;
  retryAt: Date | null;
}

/**
 * The SQL expression that writes a job from inside a feature's own statement (a booking's
 * one-statement fast path): `enqueue_job()` is the queue's function in the database, so the
 * feature does not know the table, and the statement's commit wakes the instances.
 */
export function enqueueJobSql(kind: string, payload: string, runAt: string): string {
  return `enqueue_job(${kind}::text, ${payload}::bytea, ${runAt}::timestamptz)`;
}

@Injectable()
export class JobsRepository {
  constructor(@InjectRepository(Job) private readonly jobs: Repository<Job>) {}

  /** In the caller's transaction when a manager is given, so the jobs exist exactly when its change does. */
  async insert(entries: readonly JobEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    await (manager ?? this.jobs.manager).query(
      `INSERT INTO jobs (kind, payload, run_at) SELECT * FROM unnest($1::text[], $2::bytea[], $3::timestamptz[])`,
      [entries.map((entry) => entry.kind), entries.map((entry) => entry.payload), entries.map((entry) => entry.runAt)],
    );
  }

  /**
   * Claims due jobs for this instance: SKIP LOCKED, each kind of due row from its own partial
   * index, and a row another instance left 'running' past the lease is due again (never this
   * instance's own, which it is still running). The attempt is counted here.
   */
  async claim(instanceId: string, limit: number, now: Date, leaseSeconds: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    return rowsOf<ClaimedJob>(
      await this.jobs.query(
        `WITH expired AS MATERIALIZED (
         SELECT id FROM jobs WHERE status = 'running' AND claimed_at < $2::timestamptz - make_interval(secs => $4) AND claimed_by <> $3
          ORDER BY claimed_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       due AS MATERIALIZED (
         SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $2
          ORDER BY run_at, id LIMIT $1 FOR UPDATE SKIP LOCKED),
       picked AS (SELECT id FROM expired UNION ALL (SELECT id FROM due LIMIT greatest($1 - (SELECT count(*) FROM expired), 0)))
       UPDATE jobs j SET status = 'running', claimed_at = $2, claimed_by = $3, attempts = j.attempts + 1, updated_at = now()
         FROM picked WHERE j.id = picked.id
       RETURNING j.id::text, j.kind, j.payload, j.attempts`,
        [limit, now, instanceId, leaseSeconds],
      ),
    );
  }

  /** Writes a group of outcomes in one statement; only rows this instance still holds change. */
  async recordOutcomes(outcomes: readonly JobOutcome[], instanceId: string): Promise<void> {
    if (outcomes.length === 0) return;
    await this.jobs.query(
      `WITH o AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) AS o(id, status, error, retry_at)),
       gone AS (DELETE FROM jobs j USING o WHERE j.id = o.id AND o.status = 'done' AND j.status = 'running' AND j.claimed_by = $5)
       UPDATE jobs j SET status = o.status, last_error = o.error, run_at = COALESCE(o.retry_at, j.run_at),
              payload = CASE WHEN o.status IN ('failed', 'dropped') THEN NULL ELSE j.payload END, claimed_at = NULL, claimed_by = NULL, updated_at = now()
         FROM o WHERE j.id = o.id AND o.status <> 'done' AND j.status = 'running' AND j.claimed_by = $5`,
      [
        outcomes.map((outcome) => outcome.id),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => outcome.error),
        outcomes.map((outcome) => outcome.retryAt),
        instanceId,
      ],
    );
  }

  /** Gives claimed rows back unrun (shutdown): due at once, the claim not counted as an attempt. */
  async release(ids: readonly string[], instanceId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.jobs.query(
      `UPDATE jobs SET status = 'queued', attempts = attempts - 1, claimed_at = NULL, claimed_by = NULL, updated_at = now()
        WHERE id = ANY($1::bigint[]) AND status = 'running' AND claimed_by = $2`,
      [ids, instanceId],
    );
  }

  async hasDue(now: Date): Promise<boolean> {
    const [row] = (await this.jobs.query(
      `SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'queued' AND run_at <= $1) AS due`,
      [now],
    )) as Array<{ due: boolean }>;
    return row.due;
  }

  /** The kinds of jobs waiting or running, for the start-up check that each has a handler. */
  async pendingKinds(): Promise<string[]> {
    const rows = (await this.jobs.query(
      `SELECT DISTINCT kind FROM jobs WHERE status IN ('queued', 'running') ORDER BY kind`,
    )) as Array<{ kind: string }>;
    return rows.map((row) => row.kind);
  }

  /** Jobs that failed for good before `before` (retention: they hold no payload, only their error). */
  async purgeFailed(before: Date, manager?: EntityManager): Promise<number> {
    const result: unknown = await (manager ?? this.jobs.manager).query(
      `DELETE FROM jobs WHERE status = 'failed' AND created_at < $1 RETURNING id`,
      [before],
    );
    return rowsOf(result).length;
  }
}
