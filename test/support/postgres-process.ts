import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface PostgresProcess {
  port: number;
  /** Connection string of the `app` database. */
  url: string;
  stop(): Promise<void>;
}

/** Starts a PostgreSQL in a child process (data kept in `databaseDir`, so a restart keeps it). */
export async function startPostgresProcess(databaseDir: string, port?: number): Promise<PostgresProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(__dirname, 'postgres-server.main.ts'),
      databaseDir,
      ...(port ? [String(port)] : []),
    ],
    {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<{ port: number; url: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as { port: number; url: string });
    });
    child.once('exit', (code) => reject(new Error(`PostgreSQL process exited with ${code}: ${stderr}`)));
  });
  return {
    ...ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
