import { createTestApp, TestApp } from './support/app';
import { withAdminClient } from './support/database';

describe('Health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should be live and ready with the database up and migrated', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('should not be ready while a migration is pending', async () => {
    const [latest] = await t.db.query<{ timestamp: string; name: string }>(
      'SELECT "timestamp", name FROM migrations ORDER BY id DESC LIMIT 1',
    );
    await t.db.query('DELETE FROM migrations WHERE name = $1', [latest.name]);
    try {
      const response = await t.http.get('/health/ready').expect(503);
      expect(response.body.details.migrations).toMatchObject({ status: 'down', pending: [latest.name] });
    } finally {
      await t.db.query('INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)', [latest.timestamp, latest.name]);
    }
    await t.http.get('/health/ready').expect(200);
  });

  it('should answer 503 when the database is gone, and stay live', async () => {
    await withAdminClient((admin) => admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS false`));
    await withAdminClient((admin) =>
      admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [t.db.name],
      ),
    );
    try {
      const ready = await t.http.get('/health/ready').expect(503);
      expect(ready.body.status).toBe('error');
      await t.http.get('/health').expect(200);
      const login = await t.http.post('/auth/login').send({ email: 'a@b.example', password: 'whatever' });
      expect(login.status).toBe(503);
      expect(login.body.message).not.toMatch(/ECONN|stack|pg_/);
    } finally {
      await withAdminClient((admin) => admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS true`));
    }
    // The pool reconnects on its own once the database accepts connections again.
    await t.http.get('/health/ready').expect(200);
  });
});
