// Data source for the TypeORM CLI (npm run migration:*). The app builds its own in DatabaseModule.
// Without DATABASE_URL it starts the embedded PostgreSQL under DATA_DIR, like `npm start` does.
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { appConfig } from '../config/app.config';
import { databaseConfig } from '../config/database.config';
import { EMBEDDED_DATABASE_NAME } from './database-server.service';
import { startEmbeddedPostgres } from './embedded-postgres';
import { typeOrmOptions } from './typeorm-options';

async function createDataSource(): Promise<DataSource> {
  const db = databaseConfig();
  if (db.url) return new DataSource(typeOrmOptions(db.url, db));
  const server = await startEmbeddedPostgres({ databaseDir: join(appConfig().dataDir, 'postgres'), persistent: true });
  await server.ensureDatabase(EMBEDDED_DATABASE_NAME);
  return new DataSource(typeOrmOptions(server.urlFor(EMBEDDED_DATABASE_NAME), db));
}

export default createDataSource();
