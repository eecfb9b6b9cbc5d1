import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, ADMIN, TestApp } from '../support/app';
import { TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { PostgresProcess, startPostgresProcess } from '../support/postgres-process';

/**
 * The database goes away while requests flow and comes back: requests in between get 503
 * quickly (no hang, no stack), readiness says 503, and the service recovers by itself.
 * This file runs its own PostgreSQL so it can stop and start it.
 */
describe('Database restart', () => {
  const databaseDir = join(mkdtempSync(join(tmpdir(), 'commemoration-fault-pg-')), 'data');
  let server: PostgresProcess;
  let t: TestApp;

  beforeAll(async () => {
    server = await startPostgresProcess(databaseDir);
    const database: TestDatabase = {
      name: 'app',
      url: server.url,
      query: () => Promise.reject(new Error('unused')),
      drop: () => Promise.resolve(),
    };
    t = await createTestApp({ database, env: { DATABASE_CONNECT_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });

  it('should answer 503 while the database is down and recover on its own when it returns', async () => {
    const admin = await t.auth('admin');
    await t.http.get('/users').set(admin).expect(200);

    await server.stop();
    const started = Date.now();
    const during = await Promise.all([
      t.http.get('/users').set(admin),
      t.http.post('/auth/login').send(ADMIN),
      t.http
        .post('/users')
        .set(admin)
        .send({ email: 'during@test.example', password: 'a-long-password', role: 'organizer', name: 'During' }),
      t.http.get('/health/ready'),
    ]);
    const elapsed = Date.now() - started;
    for (const [index, response] of during.entries()) {
      expect(response.status).toBe(503);
      // The API replies (not the readiness probe, the last one) tell clients when to retry.
      if (index < during.length - 1) expect(response.headers['retry-after']).toBe('5');
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|at .*\.js|stack/);
    }
    expect(elapsed).toBeLessThan(5000);
    await t.http.get('/health').expect(200);

    server = await startPostgresProcess(databaseDir, server.port);
    const recoveredAt = Date.now();
    await eventually(
      () => t.http.get('/health/ready').then((response) => response.status),
      (status) => status === 200,
      15_000,
      'readiness after restart',
    );
    process.stdout.write(
      `database restart: outage requests answered in ${elapsed} ms; ready again ${Date.now() - recoveredAt} ms after the database returned\n`,
    );
    await t.http.get('/users').set(admin).expect(200);
    // Nothing from the outage was half-written: the user created during it does not exist.
    const users = await t.http.get('/users').set(admin).expect(200);
    expect(users.body.items.map((user: { email: string }) => user.email)).not.toContain('during@test.example');
  });
});
