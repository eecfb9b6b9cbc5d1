import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from '../config/database.config';
import { DatabaseNotifications } from './database-notifications';
import { DatabaseServer } from './database-server.service';
import { openDataSource } from './migrate-with-lock';
import { TransactionService } from './transaction.service';
import { typeOrmOptions } from './typeorm-options';

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer, databaseConfig.KEY],
      useFactory: async (server: DatabaseServer, db: DatabaseConfig) => ({
        ...typeOrmOptions(await server.url(), db),
        // Run by openDataSource under a lock, not by TypeORM (which has none).
        migrationsRun: db.migrationsRun,
        // The pool retries on its own once the database is back; no Nest-level retry loop at start.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        if (!options) throw new Error('No database options');
        return openDataSource(options, options.migrationsRun === true);
      },
    }),
  ],
  providers: [TransactionService, DatabaseNotifications],
  exports: [TransactionService, DatabaseNotifications],
})
export class DatabaseModule {}
