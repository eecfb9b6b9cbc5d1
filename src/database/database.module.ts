import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from '../config/database.config';
import { DatabaseServer } from './database-server.service';
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
        migrationsRun: db.migrationsRun,
        // The pool retries on its own once the database is back; no Nest-level retry loop at start.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [TransactionService],
  exports: [TransactionService],
})
export class DatabaseModule {}
