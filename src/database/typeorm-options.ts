import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';

const root = join(__dirname, '..', '..');

/**
 * How every pool of the app holds its connections (pg-pool options). Fixed-size: a connection,
 * once opened, stays open; pg closes one idle for 10 s by default, and the next burst (20 desks
 * scanning after a lull) then waited for new connections and their SCRAM handshakes, 150-250 ms
 * more at p99 (docs/PERFORMANCE.md). An idle connection sends TCP keepalives after a minute, so a
 * firewall or NAT on the way keeps its state and a peer gone silent is noticed and dropped.
 */
export function keptConnections(size: number): {
  max: number;
  min: number;
  keepAlive: true;
  keepAliveInitialDelayMillis: number;
} {
  return { max: size, min: size, keepAlive: true, keepAliveInitialDelayMillis: 60_000 };
}

/**
 * The one place that says where entities and migrations live, shared by the app,
 * the TypeORM CLI (data-source.ts) and the tests. Globs cover both the TypeScript
 * sources (dev, tests) and the compiled output (dist/).
 */
export function typeOrmOptions(
  url: string,
  overrides: Partial<{
    poolSize: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    applicationName: string;
  }> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(root, 'src', '**', '*.entity.{ts,js}')],
    migrations: [join(root, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension (and no superuser) needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize: overrides.poolSize ?? 10,
    extra: {
      connectionTimeoutMillis: overrides.connectTimeoutMs ?? 10000,
      ...keptConnections(overrides.poolSize ?? 10),
      statement_timeout: overrides.statementTimeoutMs ?? 15000,
      application_name: overrides.applicationName ?? 'commemoration-api',
    },
  };
}
