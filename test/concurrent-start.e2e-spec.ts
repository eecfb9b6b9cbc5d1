import { createTestApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';

/** Several instances of the app started at the same moment on one fresh database, as a deployment does. */
describe('Instances started together on a fresh database', () => {
  let database: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it('should start all three, each migration applied exactly once, and one first admin', async () => {
    const started = await Promise.allSettled([1, 2, 3].map(() => createTestApp({ database })));
    for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
    expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual([
      'started',
      'started',
      'started',
    ]);

    const rows = await database.query<{ name: string; times: number }>(
      'SELECT name, count(*)::int AS times FROM migrations GROUP BY name',
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((row) => row.times !== 1)).toEqual([]);
    const [{ admins }] = await database.query<{ admins: number }>(
      `SELECT count(*)::int AS admins FROM users WHERE role = 'admin'`,
    );
    expect(admins).toBe(1);
    for (const app of apps) await app.http.get('/health/ready').expect(200);
  });
});
