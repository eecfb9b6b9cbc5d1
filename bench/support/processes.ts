import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';

export const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `node [-r @swc-node/register] <script>` with its own event loop. */
export function startNode(script: string, env: Record<string, string>, nodeFlags: string[] = []): Child {
  // TypeScript (the script or a preload) needs the swc loader; the compiled app runs without it.
  const typescript = script.endsWith('.ts') || nodeFlags.some((flag) => flag.endsWith('.ts'));
  const child = spawn(process.execPath, [...(typescript ? ['-r', '@swc-node/register'] : []), ...nodeFlags, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    if (process.env.BENCH_VERBOSE) process.stdout.write(chunk);
  });
  return {
    process: child,
    pid: child.pid!,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGINT');
      }),
  };
}

/** Polls a URL until it answers (any status) or the child dies. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`process exited with ${child.process.exitCode}: ${child.stderr()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await delay(200);
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${child.stderr()}`);
}

export interface SmtpSinkProcess extends Child {
  port: number;
  received(): Promise<number>;
}

export async function startSmtpSink(): Promise<SmtpSinkProcess> {
  const child = startNode(join(__dirname, 'smtp-sink.main.ts'), {});
  const lines = createInterface({ input: child.process.stdout! });
  const waiting: Array<(value: number) => void> = [];
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { port?: number; received?: number };
      if (message.port !== undefined) resolve(message.port);
      if (message.received !== undefined) waiting.shift()?.(message.received);
    });
    child.process.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}: ${child.stderr()}`)));
  });
  return {
    ...child,
    port,
    received: () =>
      new Promise<number>((resolve) => {
        waiting.push(resolve);
        child.process.stdin!.write('count\n');
      }),
  };
}

/** Resident set size now and the peak since the last reset, from /proc (Linux), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * CPU time of a PostgreSQL server: the postmaster, its live children (backends, background
 * workers) and the children it has reaped, in ms.
 */
export function postgresCpuMs(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const statOf = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const own = statOf(String(postmaster));
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const fields = statOf(pid);
      if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* ended meanwhile */
    }
  }
  return ticks * 10;
}

export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
