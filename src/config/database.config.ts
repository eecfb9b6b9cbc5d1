import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { EnvBoolean, readEnv } from './env';

class DatabaseEnv {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// or postgresql:// connection string' })
  DATABASE_URL?: string;
  @IsOptional() @EnvBoolean() @IsBoolean() MIGRATIONS_RUN?: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE?: number;
  @IsOptional() @IsInt() @Min(100) DATABASE_CONNECT_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(100) DATABASE_STATEMENT_TIMEOUT_MS?: number;
}

export const databaseConfig = registerAs('database', () => {
  const env = readEnv(DatabaseEnv);
  return {
    /** Unset means: start the embedded PostgreSQL under DATA_DIR. */
    url: env.DATABASE_URL,
    migrationsRun: env.MIGRATIONS_RUN ?? true,
    poolSize: env.DATABASE_POOL_SIZE ?? 10,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS ?? 10000,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS ?? 15000,
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
