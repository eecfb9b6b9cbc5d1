import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { EnvironmentError, readEnv } from './env';
import { isCommandLineProcess } from './process-role';

class AppEnv {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) PUBLIC_BASE_URL?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  /** Comma-separated origins allowed by CORS; empty means CORS is closed. */
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  /** How many proxies in front, or their addresses/CIDRs (comma-separated); see trustProxyOf. */
  @IsOptional() @IsString() TRUST_PROXY?: string;
  @IsOptional() @IsInt() @Min(1024) BODY_LIMIT_BYTES?: number;
  @IsOptional() @IsInt() @Min(0) PUBLIC_RATE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(0) LOGIN_RATE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(0) LOGIN_ACCOUNT_RATE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(0) MAIL_RECIPIENT_HOURLY_LIMIT?: number;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  /** A second port serving only /metrics without auth, for a Prometheus scraper on a private network. */
  @IsOptional() @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;
  @IsOptional() @IsString() METRICS_HOST?: string;
  /** A file to append the JSON log to instead of standard output. */
  @IsOptional() @IsString() LOG_FILE?: string;
}

/** Names proxy-addr knows for whole ranges (loopback, link-local, private networks). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which X-Forwarded-For hops Fastify believes: unset, "false" or "0" none; a number N the last N
 * hops (the proxies in front); a list only hops appended by those addresses. "true" would let any
 * client choose its own IP (and so its rate-limit budget), so it is refused.
 */
export function trustProxyOf(value: string | undefined): false | number | string[] {
  const raw = (value ?? '').trim();
  if (raw === '' || /^(false|no|off|0)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^(true|yes|on)$/i.test(raw)) {
    throw new EnvironmentError(
      'Invalid environment: TRUST_PROXY=true would believe any X-Forwarded-For a client sends; set the number of proxies in front of the app (e.g. TRUST_PROXY=1) or their addresses/CIDRs (e.g. TRUST_PROXY=10.0.0.0/8,192.168.1.5)',
    );
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isAddressOrCidr(entry));
  if (bad.length > 0)
    throw new EnvironmentError(
      `Invalid environment: TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses/CIDRs; not understood: ${bad.join(', ')}`,
    );
  return entries;
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
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    bodyLimitBytes: env.BODY_LIMIT_BYTES ?? 100 * 1024,
    publicRateLimit: env.PUBLIC_RATE_LIMIT ?? 30,
    loginRateLimit: env.LOGIN_RATE_LIMIT ?? 10,
    loginAccountRateLimit: env.LOGIN_ACCOUNT_RATE_LIMIT ?? 10,
    mailRecipientHourlyLimit: env.MAIL_RECIPIENT_HOURLY_LIMIT ?? 10,
    logLevel: env.LOG_LEVEL ?? 'info',
    logFile: env.LOG_FILE ? resolve(env.LOG_FILE) : undefined,
    metricsPort: isCommandLineProcess() ? undefined : env.METRICS_PORT,
    metricsHost: env.METRICS_HOST ?? '127.0.0.1',
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
