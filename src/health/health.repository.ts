import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Names of migrations present in the code but not yet applied to the database. */
  async pendingMigrations(): Promise<string[]> {
    const rows = (await this.dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>;
    const applied = new Set(rows.map((row) => row.name));
    return this.dataSource.migrations
      .map((migration) => migration.name ?? migration.constructor.name)
      .filter((name) => !applied.has(name));
  }
}
