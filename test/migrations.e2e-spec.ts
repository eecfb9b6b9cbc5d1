import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../src/database/typeorm-options';
import { createTestDatabase, TestDatabase } from './support/database';

describe('Migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(typeOrmOptions(db.url)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('should bring an empty database to a schema that matches the entities exactly', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.length).toBeGreaterThan(0);
    // What `npm run migration:generate` would write: nothing, or entities and migrations disagree.
    const drift = await dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('should revert every migration and apply them again', async () => {
    const count = dataSource.migrations.length;
    for (let index = 0; index < count; index += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    const [{ tables }] = await db.query<{ tables: string }>(
      "SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'",
    );
    expect(Number(tables)).toBe(0);
    expect((await dataSource.runMigrations()).length).toBe(count);
  });
});
