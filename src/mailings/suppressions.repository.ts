import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Suppression, SuppressionReason } from './suppression.entity';

export interface SuppressionFilter {
  reason?: SuppressionReason;
  /** Part of the address, any case. */
  q?: string;
}

const COLUMNS = `email, reason, source, created_at AS "createdAt"`;

@Injectable()
export class SuppressionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Idempotent: the address is the key, so a second unsubscribe keeps the first record. */
  async suppress(
    email: string,
    reason: SuppressionReason,
    source: string | null,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO suppressions (email, reason, source) VALUES (lower($1), $2, $3) ON CONFLICT (email) DO NOTHING`,
      [email, reason, source],
    );
  }

  /** Lifts an unsubscribe after the person opted in again (double opt-in); erasures stay. */
  async liftUnsubscribe(email: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `DELETE FROM suppressions WHERE email = lower($1) AND reason = 'unsubscribed'`,
      [email],
    );
  }

  /** Newest first; `page` null for every row (CSV). */
  async list(
    filter: SuppressionFilter,
    page: { limit: number; offset: number } | null,
  ): Promise<[Suppression[], number]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.reason) conditions.push(`reason = $${values.push(filter.reason)}`);
    // The typed text is matched literally: % and _ in it are no wildcards.
    if (filter.q) conditions.push(`strpos(email, lower($${values.push(filter.q)})) > 0`);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM suppressions ${where}`,
      values,
    )) as Array<{ total: number }>;
    const paging = page ? ` LIMIT $${values.length + 1} OFFSET $${values.length + 2}` : '';
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM suppressions ${where} ORDER BY created_at DESC, email${paging}`,
      page ? [...values, page.limit, page.offset] : values,
    )) as Suppression[];
    return [rows, total];
  }

  /** The suppression of an address, locked until the caller's transaction ends. */
  async lockByEmail(email: string, manager: EntityManager): Promise<Suppression | null> {
    const [row] = (await manager.query(`SELECT ${COLUMNS} FROM suppressions WHERE email = lower($1) FOR UPDATE`, [
      email,
    ])) as Suppression[];
    return row ?? null;
  }

  async remove(email: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM suppressions WHERE email = lower($1)`, [email]);
  }

  async isSuppressed(email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM suppressions WHERE email = lower($1)`, [email]);
    return rows.length > 0;
  }
}
