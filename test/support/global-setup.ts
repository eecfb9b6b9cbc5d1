import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/** Where the test PostgreSQL comes from; exported to every test file through the environment. */
export const ADMIN_URL_VARIABLE = 'TEST_ADMIN_DATABASE_URL';

async function dockerAnswers(): Promise<boolean> {
  // eslint-disable-next-line no-process-env -- test harness, outside the app's config
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL if set, else a testcontainers
 * PostgreSQL when a Docker engine answers, else embedded-postgres. Each test file then creates
 * its own database on it (test/support/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  // The app serves the staff console from console/dist: built here too, so `npx jest` alone tests a current one.
  execFileSync(process.execPath, [join(__dirname, '../../console/scripts/build.mjs')], { stdio: 'inherit' });
  /* eslint-disable no-process-env -- the harness hands the server to the test workers */
  const state = globalThis as { __testDatabaseStop?: () => Promise<void> };
  if (process.env.TEST_DATABASE_URL) {
    process.env[ADMIN_URL_VARIABLE] = process.env.TEST_DATABASE_URL;
    return;
  }
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine')
      .withCommand(['postgres', '-c', 'max_connections=300', '-c', 'fsync=off'])
      .start();
    process.env[ADMIN_URL_VARIABLE] = container.getConnectionUri();
    state.__testDatabaseStop = async () => {
      await container.stop();
    };
    process.stdout.write('\nTest database: PostgreSQL in a testcontainers container\n');
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), 'commemoration-test-pg-'));
  const server = await startEmbeddedPostgres({ databaseDir: join(directory, 'data'), persistent: false });
  process.env[ADMIN_URL_VARIABLE] = server.adminUrl;
  state.__testDatabaseStop = () => server.stop();
  process.stdout.write('\nTest database: embedded PostgreSQL (no TEST_DATABASE_URL, no Docker engine)\n');
  /* eslint-enable no-process-env */
}
