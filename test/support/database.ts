import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

function adminUrl(): string {
  // eslint-disable-next-line no-process-env -- set by test/support/global-setup.ts
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (npm test)');
  return url;
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL against this database (assertions that look behind the API). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A database of its own for one test file, so files can run in parallel. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  let client: Client | undefined;
  return {
    name,
    url: url.toString(),
    async query<T>(sql: string, params: unknown[] = []) {
      if (!client) {
        const fresh = new Client({ connectionString: url.toString() });
        // A test that cuts connections (outage tests) must not crash the run through this client.
        fresh.on('error', () => {
          if (client === fresh) client = undefined;
        });
        await fresh.connect();
        client = fresh;
      }
      return (await client!.query(sql, params)).rows as T[];
    },
    async drop() {
      await client?.end().catch(() => undefined);
      client = undefined;
      await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
