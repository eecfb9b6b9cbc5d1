import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { join } from 'node:path';
import { appConfig, AppConfig } from '../config/app.config';
import { databaseConfig, DatabaseConfig } from '../config/database.config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

export const EMBEDDED_DATABASE_NAME = 'commemoration';

/** Masks the password of a connection string for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/**
 * Says which PostgreSQL the app uses: DATABASE_URL when set, otherwise an embedded
 * server under DATA_DIR/postgres that lives and dies with the process.
 */
@Injectable()
export class DatabaseServer implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseServer.name);
  private embedded?: EmbeddedPostgresHandle;
  private resolvedUrl?: string;

  constructor(
    @Inject(databaseConfig.KEY) private readonly db: DatabaseConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  async url(): Promise<string> {
    if (this.resolvedUrl) return this.resolvedUrl;
    if (this.db.url) {
      this.resolvedUrl = this.db.url;
      this.logger.log(`Using PostgreSQL at ${redactUrl(this.db.url)}`);
      return this.resolvedUrl;
    }
    const databaseDir = join(this.app.dataDir, 'postgres');
    this.embedded = await startEmbeddedPostgres({ databaseDir, persistent: true, logger: this.logger });
    await this.embedded.ensureDatabase(EMBEDDED_DATABASE_NAME);
    this.resolvedUrl = this.embedded.urlFor(EMBEDDED_DATABASE_NAME);
    this.logger.log(`Using embedded PostgreSQL at ${redactUrl(this.resolvedUrl)} (data in ${databaseDir})`);
    return this.resolvedUrl;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    // Close the pool before the server goes, so no connection sees it vanish mid-query.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource?.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
    this.logger.log('Embedded PostgreSQL stopped');
  }
}
