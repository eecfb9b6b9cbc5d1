import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { appConfig, AppConfig } from '../config/app.config';
import { databaseConfig, DatabaseConfig } from '../config/database.config';

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

/** Counts in memory when the store fails; says so, since rate-limiter-flexible switches silently. */
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

/**
 * The rate limits of every instance, counted in PostgreSQL (rate-limiter-flexible's
 * RateLimiterPostgres), so N instances allow the limit once, not N times.
 *
 * Fail safe: when the database cannot be reached (or answers too slowly), each budget counts in
 * this process's memory instead (`insuranceLimiter`, same limit), so the limit still holds per
 * instance and no request fails because of the limiter. A key that reached its limit is refused
 * from memory until its window ends (`inMemoryBlockOnConsumed`), so a blocked client costs no query.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimits.name);
  private readonly pool: Pool;
  private readonly limiters = new Map<RateBudget, RateLimiterAbstract>();
  private readonly windows = new Map<RateBudget, { points: number; ms: number }>();
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
      max: POOL_SIZE,
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
      this.windows.set(budget, { points, ms: seconds * 1000 });
      this.limiters.set(
        budget,
        new RateLimiterPostgres({
          storeClient: this.pool,
          storeType: 'pool',
          tableName: RATE_LIMIT_TABLE,
          tableCreated: true,
          clearExpiredByTimeout: false, // cleared below, by a timer this class stops on shutdown
          keyPrefix: budget,
          points,
          duration: seconds,
          inMemoryBlockOnConsumed: points,
          insuranceLimiter: new InsuranceLimiter({ keyPrefix: budget, points, duration: seconds }, () =>
            this.warnStore(new Error('rate-limit store query failed')),
          ),
        }),
      );
    }
    this.clearer = setInterval(() => void this.clearExpired(), CLEAR_EVERY_MS).unref();
  }

  /** Counts one use of `budget` by `key`; refused once the key used up its budget in the window. */
  async consume(budget: RateBudget, key: string): Promise<RateDecision> {
    const limiter = this.limiters.get(budget);
    if (!limiter) return { allowed: true };
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes)
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
      // The insurance limiter failed as well (it does not, being memory): let the request through.
      this.warnStore(outcome);
      return { allowed: true };
    }
  }

  /**
   * Counts one use per entry of `keys` (a key may repeat) in one statement, for work that comes in
   * batches (the mail jobs that ask in the same turn); the answer says, in order, which uses fit the budget.
   * Same rows and window rule as RateLimiterPostgres (`${budget}:${key}`), so both count together;
   * if the statement fails, each use is counted by `consume` (and so by its insurance limiter).
   */
  async consumeMany(budget: RateBudget, keys: readonly string[]): Promise<boolean[]> {
    const window = this.windows.get(budget);
    if (!window || keys.length === 0) return keys.map(() => true);
    const uses = new Map<string, number>();
    for (const key of keys) uses.set(key, (uses.get(key) ?? 0) + 1);
    // Sorted, so two instances lock the rows of overlapping batches in the same order.
    const distinct = [...uses.keys()].sort();
    let totals: Map<string, number>;
    try {
      const now = Date.now();
      // A row whose window ended starts again from this batch's uses; otherwise they are added.
      const result = await this.pool.query<{ key: string; points: number }>({
        name: 'rate-limits:consume-many',
        text: `INSERT INTO ${RATE_LIMIT_TABLE} AS r (key, points, expire)
               SELECT $1 || ':' || u.key, u.uses, $4::bigint FROM unnest($2::text[], $3::int[]) AS u(key, uses) ORDER BY 1
               ON CONFLICT (key) DO UPDATE SET
                 points = CASE WHEN r.expire <= $5 THEN EXCLUDED.points ELSE r.points + EXCLUDED.points END,
                 expire = CASE WHEN r.expire <= $5 THEN EXCLUDED.expire ELSE r.expire END
               RETURNING substr(r.key, length($1) + 2) AS key, r.points`,
        values: [budget, distinct, distinct.map((key) => uses.get(key)), now + window.ms, now],
      });
      totals = new Map(result.rows.map((row) => [row.key, row.points]));
    } catch (error) {
      this.warnStore(error);
      const decisions: boolean[] = [];
      for (const key of keys) decisions.push((await this.consume(budget, key)).allowed);
      return decisions;
    }
    // Of a key's uses in this batch, those that fit under the limit after what was counted before it.
    const left = new Map(
      distinct.map((key) => [key, Math.max(0, window.points - ((totals.get(key) ?? 0) - (uses.get(key) ?? 0)))]),
    );
    return keys.map((key) => {
      const remaining = left.get(key) ?? 0;
      left.set(key, remaining - 1);
      return remaining > 0;
    });
  }

  /** Rows whose window ended an hour ago; a failure is retried at the next turn. */
  async clearExpired(): Promise<void> {
    await this.pool
      .query(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < $1`, [Date.now() - 3_600_000])
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
