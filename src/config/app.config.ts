import { registerAs } from '@nestjs/config';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { resolve } from 'node:path';
import { EnvBoolean, readEnv } from './env';
import { isCommandLineProcess } from './process-role';

class AppEnv {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) PUBLIC_BASE_URL?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  /** Comma-separated origins allowed by CORS; empty means CORS is closed. */
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @EnvBoolean() @IsBoolean() TRUST_PROXY?: boolean;
  @IsOptional() @IsInt() @Min(1024) BODY_LIMIT_BYTES?: number;
  @IsOptional() @IsInt() @Min(0) PUBLIC_RATE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(0) LOGIN_RATE_LIMIT?: number;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  /** A second port serving only /metrics without auth, for a Prometheus scraper on a private network. */
  @IsOptional() @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;
  @IsOptional() @IsString() METRICS_HOST?: string;
  /** A file to append the JSON log to instead of standard output. */
  @IsOptional() @IsString() LOG_FILE?: string;
}

export const appConfig = registerAs('app', () => {
  const env = readEnv(AppEnv);
  const port = env.PORT ?? 3000;
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir: resolve(env.DATA_DIR ?? './.data'),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: env.TRUST_PROXY ?? false,
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 100 * 1024,
    publicRateLimit: env.PUBLIC_RATE_LIMIT ?? 30,
    loginRateLimit: env.LOGIN_RATE_LIMIT ?? 10,
    logLevel: env.LOG_LEVEL ?? 'info',
    logFile: env.LOG_FILE ? resolve(env.LOG_FILE) : undefined,
    metricsPort: isCommandLineProcess() ? undefined : env.METRICS_PORT,
    metricsHost: env.METRICS_HOST ?? '127.0.0.1',
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
