import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { appConfig, AppConfig } from '../config/app.config';
import { databaseConfig, DatabaseConfig } from '../config/database.config';
import { keptConnections } from '../database/typeorm-options';

/** The named budgets; each counts per key (an IP, an account, a recipient) in its own window. */
export type RateBudget = 'public' | 'login' | 'login-account' | 'mail-recipient';

/** The table the migration 1795866100000-RateLimits creates; every instance counts in it. */
export const RATE_LIMIT_TABLE = 'rate_limits';
/** A small pool of its own: a flood of limited requests never waits behind the app's queries, nor they behind it. */
const POOL_SIZE = 4;
/** A counter that cannot be reached within this is counted in memory instead (see insuranceLimiter). */
const STORE_TIMEOUT_MS = 2000;
const CLEAR_EVERY_MS = 5 * 60_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Hex SHA-256 of a lower-cased address or account, so no address is stored in clear. */
export function addressKey(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex');
}

/** Counts in memory when the store fails; says so, since the switch is otherwise silent. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onUse: () => void,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(...args);
  }
}

type Budget = { points: number; ms: number; insurance: InsuranceLimiter };
type Waiting = { key: string; resolve: (decision: RateDecision) => void };

/** A refusal that says, in whole seconds (at least one), when the window ends. */
function refused(msLeft: number): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
}
/**
 * The rate limits of every instance, counted in PostgreSQL, so N instances allow the limit once,
 * not N times. The rows are rate-limiter-flexible's RateLimiterPostgres layout (key
 * `${budget}:${key}`, points, expire in epoch ms) and follow its window rule; what differs is that
 * the uses of a budget asked for in the same turn of the event loop are counted in one statement:
 * a burst from one address (or from many behind one NAT) costs one upsert of its row per turn
 * instead of one per request waiting for that row's lock.
 *
 * Fail safe: when the database cannot be reached (or answers too slowly), each budget counts in
 * this process's memory instead (rate-limiter-flexible's RateLimiterMemory, same limit), so the
 * limit still holds per instance and no request fails because of the limiter. A key that used up
 * its budget is refused from memory until its window ends, so a blocked client costs no query.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimits.name);
  private readonly pool: Pool;
  private readonly budgets = new Map<RateBudget, Budget>();
  /** Uses asked for in this turn, per budget; counted together in the next (setImmediate). */
  private readonly waiting = new Map<RateBudget, Waiting[]>();
  /** `${budget}:${key}` of keys that used up their budget, with the end of their window (epoch ms). */
  private readonly blocked = new Map<string, number>();
  private readonly clearer: NodeJS.Timeout;
  private lastStoreWarning = 0;

  constructor(
    @Inject(appConfig.KEY) app: AppConfig,
    @Inject(databaseConfig.KEY) db: DatabaseConfig,
    @InjectDataSource() dataSource: DataSource,
  ) {
    const options = dataSource.options as PostgresDataSourceOptions;
    this.pool = new Pool({
      connectionString: options.url,
      ...keptConnections(POOL_SIZE),
      connectionTimeoutMillis: Math.min(db.connectTimeoutMs, STORE_TIMEOUT_MS),
      statement_timeout: STORE_TIMEOUT_MS,
      application_name: 'commemoration-api:rate-limits',
    });
    // An idle client that loses its connection (database restart) must not crash the process.
    this.pool.on('error', (error) => this.warnStore(error));
    const budgets: Record<RateBudget, { points: number; seconds: number }> = {
      public: { points: app.publicRateLimit, seconds: 60 },
      login: { points: app.loginRateLimit, seconds: 60 },
      'login-account': { points: app.loginAccountRateLimit, seconds: 15 * 60 },
      'mail-recipient': { points: app.mailRecipientHourlyLimit, seconds: 60 * 60 },
    };
    for (const [budget, { points, seconds }] of Object.entries(budgets) as Array<
      [RateBudget, { points: number; seconds: number }]
    >) {
      if (points === 0) continue; // 0 turns the budget off
      const insurance = new InsuranceLimiter({ keyPrefix: budget, points, duration: seconds }, () =>
        this.warnStore(new Error('rate-limit store query failed')),
      );
      this.budgets.set(budget, { points, ms: seconds * 1000, insurance });
    }
    this.clearer = setInterval(() => void this.clearExpired(), CLEAR_EVERY_MS).unref();
  }

  /**
   * Counts one use of `budget` by `key`; refused once the key used up its budget in the window.
   * The uses asked for in the same turn are counted in one statement (see the class).
   */
  consume(budget: RateBudget, key: string): Promise<RateDecision> {
    const settings = this.budgets.get(budget);
    if (!settings) return Promise.resolve({ allowed: true });
    const until = this.blocked.get(`${budget}:${key}`);
    if (until !== undefined) {
      const left = until - Date.now();
      if (left > 0) return Promise.resolve(refused(left));
      this.blocked.delete(`${budget}:${key}`);
    }
    return new Promise<RateDecision>((resolve) => {
      const queue = this.waiting.get(budget);
      if (queue) return void queue.push({ key, resolve });
      this.waiting.set(budget, [{ key, resolve }]);
      setImmediate(() => {
        const asked = this.waiting.get(budget) ?? [];
        this.waiting.delete(budget);
        void this.decide(budget, settings, asked);
      });
    });
  }

  /** Counts the uses of one turn in one statement; when it fails, each is counted in memory. */
  private async decide(budget: RateBudget, settings: Budget, asked: Waiting[]): Promise<void> {
    const uses = new Map<string, number>();
    for (const { key } of asked) uses.set(key, (uses.get(key) ?? 0) + 1);
    // Sorted, so two instances lock the rows of overlapping batches in the same order.
    const distinct = [...uses.keys()].sort();
    let counted: Map<string, { points: number; expire: number }>;
    const now = Date.now();
    try {
      // A row whose window ended starts again from this batch's uses; otherwise they are added.
      const result = await this.pool.query<{ key: string; points: number; expire: string }>({
        name: 'rate-limits:consume',
        text: `INSERT INTO ${RATE_LIMIT_TABLE} AS r (key, points, expire)
               SELECT $1 || ':' || u.key, u.uses, $4::bigint FROM unnest($2::text[], $3::int[]) AS u(key, uses) ORDER BY 1
               ON CONFLICT (key) DO UPDATE SET
                 points = CASE WHEN r.expire <= $5 THEN EXCLUDED.points ELSE r.points + EXCLUDED.points END,
                 expire = CASE WHEN r.expire <= $5 THEN EXCLUDED.expire ELSE r.expire END
               RETURNING substr(r.key, length($1) + 2) AS key, r.points, r.expire`,
        values: [budget, distinct, distinct.map((key) => uses.get(key)), now + settings.ms, now],
      });
      counted = new Map(result.rows.map((row) => [row.key, { points: row.points, expire: Number(row.expire) }]));
    } catch (error) {
      this.warnStore(error);
      for (const { key, resolve } of asked) {
        resolve(
          await settings.insurance.consume(key).then(
            (): RateDecision => ({ allowed: true }),
            (outcome: unknown): RateDecision =>
              outcome instanceof RateLimiterRes ? refused(outcome.msBeforeNext) : { allowed: true },
          ),
        );
      }
      return;
    }
    // Of a key's uses in this batch, those that fit under the limit after what was counted before it, in order.
    const left = new Map<string, number>();
    for (const key of distinct) {
      const row = counted.get(key);
      left.set(key, Math.max(0, settings.points - ((row?.points ?? 0) - (uses.get(key) ?? 0))));
      if (row && row.points >= settings.points) this.blocked.set(`${budget}:${key}`, row.expire);
    }
    for (const { key, resolve } of asked) {
      const remaining = left.get(key) ?? 0;
      left.set(key, remaining - 1);
      const expire = counted.get(key)?.expire ?? now + settings.ms;
      resolve(remaining > 0 ? { allowed: true } : refused(expire - now));
    }
  }

  /** Rows whose window ended an hour ago; a failure is retried at the next turn. */
  async clearExpired(): Promise<void> {
    const now = Date.now();
    for (const [key, until] of this.blocked) if (until <= now) this.blocked.delete(key);
    await this.pool
      .query(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < $1`, [now - 3_600_000])
      .catch((error: unknown) => this.warnStore(error));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.clearer);
    await this.pool.end();
  }

  /** At most one warning a minute: an outage would otherwise log once per request. */
  private warnStore(error: unknown): void {
    const now = Date.now();
    if (now - this.lastStoreWarning < 60_000) return;
    this.lastStoreWarning = now;
    this.logger.warn(
      { err: error },
      'Rate-limit store unreachable; counting in memory on this instance until it is back',
    );
  }
}
