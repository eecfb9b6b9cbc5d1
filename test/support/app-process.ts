import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDatabase } from './database';
import { ADMIN } from './app';
import { SmtpSink } from './smtp-sink';

/** The app as it runs in production: a process of its own, talked to over HTTP only. */
export interface AppProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every JSON log line the process wrote to standard output, parsed. */
  logs: Array<Record<string, unknown>>;
  /** What it wrote to standard error (a failed start says why there). */
  stderr(): string;
  /** Sends SIGTERM and waits for the exit; SIGKILL if it has not exited within the wait. */
  stop(waitMs?: number): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it), so parallel test files do not collide. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the app from source in its own process (scheduler on, migrations at start, the first
 * admin from ADMIN_EMAIL/ADMIN_PASSWORD) and returns at once; poll its /health to know it is up.
 */
export function startAppProcess(
  database: TestDatabase,
  smtp: SmtpSink,
  port: number,
  env: Record<string, string> = {},
): AppProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: join(__dirname, '../..'),
    env: {
      // eslint-disable-next-line no-process-env -- the child inherits PATH and friends
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'commemoration-instance-')),
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_BASE_URL: 'https://commemoration.test',
      MAIL_FROM: 'Commemoration <no-reply@commemoration.test>',
      PUBLIC_RATE_LIMIT: '0',
      LOGIN_RATE_LIMIT: '0',
      LOGIN_ACCOUNT_RATE_LIMIT: '0',
      MAIL_RECIPIENT_HOURLY_LIMIT: '0',
      SCHEDULER_ENABLED: 'true',
      MIGRATIONS_RUN: 'true',
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    logs,
    stderr: () => errors,
    async stop(waitMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), waitMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
