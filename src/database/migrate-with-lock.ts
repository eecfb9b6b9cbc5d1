import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';

/** One key for every instance of the app on a database (pg_advisory_lock takes a bigint). */
const MIGRATION_LOCK = 'commemoration-api:migrations';
const logger = new Logger('Migrations');

/**
 * Opens the pool, then runs the pending migrations while holding a PostgreSQL advisory lock, so
 * instances started together on one database take turns: the first migrates, the others wait and
 * find nothing left to run (TypeORM itself has no lock). The lock is held on a connection of its
 * own and ends with it, also when the process dies.
 */
export async function openDataSource(options: DataSourceOptions, runMigrations: boolean): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!runMigrations) return dataSource;
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0)
        logger.log(`Applied ${applied.length} migration(s): ${applied.map((migration) => migration.name).join(', ')}`);
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
    }
  } catch (error) {
    await lock.release();
    await dataSource.destroy();
    throw error;
  }
  await lock.release();
  return dataSource;
}
