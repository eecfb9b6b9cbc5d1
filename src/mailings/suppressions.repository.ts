import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { SuppressionReason } from './suppression.entity';

@Injectable()
export class SuppressionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Idempotent: the address is the key, so a second unsubscribe keeps the first record. */
  async suppress(email: string, reason: SuppressionReason, source: string | null, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(`INSERT INTO suppressions (email, reason, source) VALUES (lower($1), $2, $3) ON CONFLICT (email) DO NOTHING`, [email, reason, source]);
  }

  /** Lifts an unsubscribe after the person opted in again (double opt-in); erasures stay. */
  async liftUnsubscribe(email: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(`DELETE FROM suppressions WHERE email = lower($1) AND reason = 'unsubscribed'`, [email]);
  }

  async isSuppressed(email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM suppressions WHERE email = lower($1)`, [email]);
    return rows.length > 0;
  }
}
