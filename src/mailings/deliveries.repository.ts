import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AudienceSources, AudienceSpec, SqlParams } from './audience-sources';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { rowsOf } from '../database/sql-rows';

/** One budget for the whole deployment: its claims take turns on this key. */
const HOURLY_BUDGET_LOCK = 'commemoration-api:smtp-hourly-budget';

export interface AudienceMember {
  email: string;
  name: string | null;
  locale: string | null;
  source_type: string;
  source_id: string | null;
  manage_url: string | null;
}

/** A claimed row as RETURNING gives it (snake_case columns). */
export interface ClaimedDelivery {
  id: string;
  mailing_id: string;
  email: string;
  name: string | null;
  locale: string | null;
  source_type: string;
  source_id: string | null;
  manage_url: string | null;
  /** Claims so far, this one included (an attempt is counted when it is claimed). */
  attempts: number;
  /** The Message-ID the message goes out with (kept from an earlier attempt, else the fresh one). */
  message_id: string;
  /** Which of the fresh tokens handed to the claim this row got (0-based). */
  fresh: number;
}

/** Message-IDs and unsubscribe token hashes for the rows a claim may get, in order. */
export interface FreshIdentifiers {
  messageIds: string[];
  tokenHashes: string[];
}

/** The result of one attempt, as DeliveriesRepository.recordOutcomes writes it. */
export interface DeliveryOutcome {
  id: string;
  status: 'sent' | 'queued' | 'failed';
  /** The server's reply (or the error). */
  reply: string;
  /** sent: when it was accepted; queued: when to try again; failed: when it failed. */
  at: Date;
  /** failed because the server refused the recipient for good (see isHardBounce): the address is suppressed. */
  bounced?: boolean;
}

@Injectable()
export class DeliveriesRepository {
  constructor(
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    private readonly sources: AudienceSources,
  ) {}

  /**
   * Freezes the audience into the ledger in one statement: one row per address (DISTINCT ON the
   * lower-cased email, the source with the lowest priority wins), minus suppressed addresses.
   * ON CONFLICT DO NOTHING on (mailing_id, email): a repeated freeze adds nobody twice.
   */
  async freeze(mailingId: string, audience: AudienceSpec, dueAt: Date, manager: EntityManager): Promise<number> {
    const params = new SqlParams([mailingId, dueAt]);
    const union = this.sources.unionSql(audience, params);
    // Counted in the database: returning one row per recipient would ship (and hold) 100,000 rows.
    const [{ count }] = (await manager.query(
      `WITH inserted AS (
         INSERT INTO deliveries (mailing_id, email, name, locale, source_type, source_id, manage_url, status, next_attempt_at)
         SELECT DISTINCT ON (lower(a.email)) $1::uuid, lower(a.email), a.name, a.locale, a.source_type, a.source_id, a.manage_url, 'queued', $2::timestamptz
           FROM (${union}) AS a
          WHERE a.email IS NOT NULL AND a.email <> ''
            AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = lower(a.email))
          ORDER BY lower(a.email), a.priority, a.source_id, a.email
         ON CONFLICT (mailing_id, email) DO NOTHING
         RETURNING 1)
       SELECT COUNT(*)::int AS count FROM inserted`,
      params.values,
    )) as Array<{ count: number }>;
    return count;
  }

  /**
   * How many people a freeze of this audience would write now: the same de-duplication by
   * lower-cased address and the same suppression check as `freeze`, without writing anything.
   */
  async countAudience(audience: AudienceSpec): Promise<number> {
    const params = new SqlParams();
    const union = this.sources.unionSql(audience, params);
    const [{ count }] = (await this.deliveries.query(
      `SELECT count(DISTINCT lower(a.email))::int AS count
         FROM (${union}) AS a
        WHERE a.email IS NOT NULL AND a.email <> ''
          AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email = lower(a.email))`,
      params.values,
    )) as Array<{ count: number }>;
    return count;
  }

  /**
   * Removes a person's details from the ledger (right to erasure): the address becomes a unique
   * placeholder, the name and links go, and what was still queued is skipped. Counts stay.
   */
  async forgetRecipient(sourceType: string, sourceId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE deliveries
          SET email = 'erased-' || id || '@invalid', name = NULL, manage_url = NULL, unsubscribe_token_hash = NULL, smtp_response = NULL,
              status = CASE WHEN status = 'queued' THEN 'skipped' ELSE status END,
              skip_reason = CASE WHEN status = 'queued' THEN 'erased' ELSE skip_reason END
        WHERE source_type = $1 AND source_id = $2`,
      [sourceType, sourceId],
    );
  }

  /** One audience member by address (for a preview), or the first one when no address is given. */
  async findAudienceMember(audience: AudienceSpec, email: string | null): Promise<AudienceMember | null> {
    const params = new SqlParams();
    const union = this.sources.unionSql(audience, params);
    const filter = email ? `WHERE lower(a.email) = lower(${params.add(email)})` : '';
    const rows = (await this.deliveries.query(
      `SELECT a.* FROM (${union}) AS a ${filter} ORDER BY a.priority LIMIT 1`,
      params.values,
    )) as AudienceMember[];
    return rows[0] ?? null;
  }

  /**
   * Claims due work for this instance. SKIP LOCKED lets any number of instances claim at once
   * without waiting on or taking each other's rows; a row another instance left in 'sending' past
   * the lease (that instance died) is due again. Never its own: a live instance may hold a row
   * longer than the lease (a batch claimed ahead waits for the one being sent), and taking it
   * back would send it twice.
   *
   * Each kind of due row is read from its own partial index in index order ((next_attempt_at, id)
   * for queued rows, claimed_at for expired leases), so a claim reads about `limit` entries however
   * large the ledger is; an OR of the two, or an ORDER BY the index does not cover, would make every
   * claim sort all queued rows (see docs/PERFORMANCE.md).
   */
  /**
   * A claim under SMTP_RATE_PER_HOUR, which is the budget of every instance together: the count of
   * what was sent in the last hour plus what any instance holds in flight, and the claim of what
   * is left, run in one transaction under an advisory lock, so two instances cannot both spend the
   * same room. Null when the budget is spent.
   */
  async claimWithinHourlyBudget(
    instanceId: string,
    batchSize: number,
    ratePerHour: number,
    now: Date,
    leaseSeconds: number,
    fresh: FreshIdentifiers,
  ): Promise<ClaimedDelivery[] | null> {
    return this.deliveries.manager.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [HOURLY_BUDGET_LOCK]);
      const [{ used }] = (await manager.query(
        `SELECT count(*)::int AS used FROM deliveries
          WHERE sent_at > $1::timestamptz - interval '1 hour'
             OR (status = 'sending' AND claimed_at >= $1::timestamptz - make_interval(secs => $2))`,
        [now, leaseSeconds],
      )) as Array<{ used: number }>;
      const limit = Math.min(batchSize, ratePerHour - used);
      if (limit <= 0) return null;
      return this.claim(instanceId, limit, now, leaseSeconds, fresh, manager);
    });
  }

  async claim(
    instanceId: string,
    limit: number,
    now: Date,
    leaseSeconds: number,
    fresh: FreshIdentifiers,
    manager: EntityManager = this.deliveries.manager,
  ): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const live = `EXISTS (SELECT 1 FROM mailings m WHERE m.id = d.mailing_id AND m.status IN ('scheduled', 'sending'))`;
    // The locked sets are chosen once, in materialized CTEs, and only those rows are updated. The
    // same update fixes each row's Message-ID and unsubscribe token hash before anything is sent
    // (one row version fewer per message than a separate update); a row reclaimed after a crash
    // keeps its Message-ID, so a duplicate is recognisable as one, and the token of the earlier
    // attempt, which may have been delivered, stays valid as previous_token_hash.
    return rowsOf<ClaimedDelivery>(
      await manager.query(
        `WITH expired AS MATERIALIZED (
         SELECT d.id FROM deliveries d
          WHERE d.status = 'sending' AND d.claimed_at < $2::timestamptz - make_interval(secs => $4) AND d.claimed_by <> $3 AND ${live}
          ORDER BY d.claimed_at
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED),
       due AS MATERIALIZED (
         SELECT d.id FROM deliveries d
          WHERE d.status = 'queued' AND d.next_attempt_at <= $2 AND ${live}
          ORDER BY d.next_attempt_at, d.id
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED),
       picked AS (SELECT id FROM expired UNION ALL (SELECT id FROM due LIMIT greatest($1 - (SELECT count(*) FROM expired), 0))),
       numbered AS (SELECT id, (row_number() OVER ())::int AS n FROM picked),
       fresh AS (SELECT * FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS f(message_id, token_hash, n))
       UPDATE deliveries d SET status = 'sending', claimed_at = $2, claimed_by = $3, attempts = d.attempts + 1, updated_at = now(),
              message_id = COALESCE(d.message_id, f.message_id),
              previous_token_hash = COALESCE(d.unsubscribe_token_hash, d.previous_token_hash),
              unsubscribe_token_hash = f.token_hash
         FROM numbered JOIN fresh f ON f.n = numbered.n
        WHERE d.id = numbered.id
       RETURNING d.id::text, d.mailing_id, d.email, d.name, d.locale, d.source_type, d.source_id, d.manage_url, d.attempts, d.message_id, numbered.n - 1 AS fresh`,
        [limit, now, instanceId, leaseSeconds, fresh.messageIds, fresh.tokenHashes],
      ),
    );
  }

  /** Send-time check: suppressed since the freeze, or no longer eligible by its source -> skipped. */
  async skipIneligible(ids: string[], instanceId: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = rowsOf<{ id: string }>(
      await this.deliveries.query(
        `UPDATE deliveries d SET status = 'skipped', claimed_at = NULL, attempts = d.attempts - 1, updated_at = now(),
              skip_reason = CASE WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.email = d.email) THEN 'suppressed' ELSE 'no longer eligible' END
        WHERE d.id = ANY($1::bigint[]) AND d.status = 'sending' AND d.claimed_by = $2
          AND (EXISTS (SELECT 1 FROM suppressions s WHERE s.email = d.email) OR NOT ${this.sources.eligibleSql()})
       RETURNING d.id::text`,
        [ids, instanceId],
      ),
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Records the outcomes of many attempts in one statement (one round trip and one commit for a
   * group; see GroupCommit). Only rows this instance still holds are changed.
   * sent: accepted by the server. queued: a temporary failure, tried again at `at`. failed: final.
   */
  async recordOutcomes(outcomes: DeliveryOutcome[], instanceId: string): Promise<void> {
    if (outcomes.length === 0) return;
    // A hard bounce is suppressed in the same statement, so no later mailing or reminder goes to it.
    await this.deliveries.query(
      `WITH recorded AS (
         UPDATE deliveries d SET status = o.status, smtp_response = o.reply, updated_at = now(),
                sent_at = CASE WHEN o.status = 'sent' THEN o.at ELSE d.sent_at END,
                last_error = CASE WHEN o.status = 'sent' THEN NULL ELSE o.reply END,
                next_attempt_at = CASE WHEN o.status = 'queued' THEN o.at ELSE d.next_attempt_at END,
                claimed_at = NULL,
                claimed_by = CASE WHEN o.status = 'queued' THEN NULL ELSE d.claimed_by END
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $6::boolean[]) AS o(id, status, reply, at, bounced)
          WHERE d.id = o.id AND d.status = 'sending' AND d.claimed_by = $5
          RETURNING d.id, d.email, o.status = 'failed' AND o.bounced AS bounced
       )
       INSERT INTO suppressions (email, reason, source)
       SELECT DISTINCT ON (r.email) r.email, 'bounced', 'delivery:' || r.id FROM recorded r WHERE r.bounced ORDER BY r.email, r.id
       -- An existing unsubscribe or erasure is kept: it is stronger than a bounce, and only its owner lifts it.
       ON CONFLICT (email) DO NOTHING`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.reply.slice(0, 2000)),
        outcomes.map((o) => o.at),
        instanceId,
        outcomes.map((o) => o.bounced === true),
      ],
    );
  }

  /** Puts claimed rows back unsent (shutdown): the claim is not counted as an attempt. */
  async release(ids: string[], instanceId: string): Promise<void> {
    if (ids.length) {
      await this.deliveries.query(
        `UPDATE deliveries SET status = 'queued', attempts = attempts - 1, claimed_at = NULL, claimed_by = NULL, updated_at = now() WHERE id = ANY($1::bigint[]) AND status = 'sending' AND claimed_by = $2`,
        [ids, instanceId],
      );
    }
  }

  /**
   * Gives back claimed rows whose mailing is no longer sending (stopped, or cancelled: those rows
   * are cancelled like the rest of the mailing's queue); returns their ids.
   */
  async releaseOfStoppedMailings(ids: string[], instanceId: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = rowsOf<{ id: string }>(
      await this.deliveries.query(
        `UPDATE deliveries d SET status = CASE WHEN m.status = 'cancelled' THEN 'cancelled' ELSE 'queued' END,
              skip_reason = CASE WHEN m.status = 'cancelled' THEN 'mailing cancelled' ELSE d.skip_reason END,
              attempts = d.attempts - 1, claimed_at = NULL, claimed_by = NULL, updated_at = now()
         FROM mailings m
        WHERE m.id = d.mailing_id AND m.status NOT IN ('scheduled', 'sending')
          AND d.id = ANY($1::bigint[]) AND d.status = 'sending' AND d.claimed_by = $2
       RETURNING d.id::text`,
        [ids, instanceId],
      ),
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Cancels what is not yet sent; rows already in flight finish and record their outcome. */
  async cancelQueued(mailingId: string, manager: EntityManager): Promise<number> {
    const rows = rowsOf(
      await manager.query(
        `UPDATE deliveries SET status = 'cancelled', skip_reason = 'mailing cancelled', updated_at = now() WHERE mailing_id = $1 AND status = 'queued' RETURNING 1`,
        [mailingId],
      ),
    );
    return rows.length;
  }

  /** Bulk messages sent by all instances in the last hour (SMTP_RATE_PER_HOUR). */
  /** Whether a row of a sending or scheduled mailing is due (tests and a command wait for none). */
  async hasDue(now: Date): Promise<boolean> {
    const [row] = (await this.deliveries.query(
      `SELECT EXISTS (SELECT 1 FROM deliveries d
          WHERE d.status = 'queued' AND d.next_attempt_at <= $1
            AND EXISTS (SELECT 1 FROM mailings m WHERE m.id = d.mailing_id AND m.status IN ('scheduled', 'sending'))) AS due`,
      [now],
    )) as Array<{ due: boolean }>;
    return row.due;
  }

  async sentSince(since: Date): Promise<number> {
    const [row] = (await this.deliveries.query(`SELECT count(*)::int AS count FROM deliveries WHERE sent_at > $1`, [
      since,
    ])) as Array<{ count: number }>;
    return row.count;
  }

  list(
    mailingId: string,
    status: DeliveryStatus | undefined,
    limit: number,
    offset: number,
  ): Promise<[Delivery[], number]> {
    return this.deliveries.findAndCount({
      where: { mailingId, ...(status ? { status } : {}) },
      order: { id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  /** Keyset pages for the CSV export, so a large mailing is never read at once. */
  listAfter(
    mailingId: string,
    status: DeliveryStatus | undefined,
    afterId: string,
    limit: number,
  ): Promise<Delivery[]> {
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.mailing_id = :mailingId', { mailingId })
      .andWhere('d.id > :afterId', { afterId })
      .orderBy('d.id', 'ASC')
      .take(limit);
    if (status) query.andWhere('d.status = :status', { status });
    return query.getMany();
  }

  findByTokenHash(hash: string, manager?: EntityManager): Promise<Delivery | null> {
    return (manager ?? this.deliveries.manager)
      .getRepository(Delivery)
      .findOne({ where: [{ unsubscribeTokenHash: hash }, { previousTokenHash: hash }] });
  }
}
