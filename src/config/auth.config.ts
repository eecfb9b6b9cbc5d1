import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvironmentError, readEnv } from './env';
import { IsEmailAddress } from '../common/email-address';
import { isCommandLineProcess } from './process-role';

class AuthEnv {
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;
  @IsOptional() @IsInt() @Min(60) JWT_TTL_SECONDS?: number;
  @IsOptional() @IsEmailAddress({ requireTld: false }) ADMIN_EMAIL?: string;
  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'ADMIN_PASSWORD must be at least 10 characters long' })
  ADMIN_PASSWORD?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsOptional() @IsInt() @Min(5) @Max(1440) PASSWORD_RESET_TTL_MINUTES?: number;
  @IsOptional() @IsIn(['optional', 'required']) STAFF_2FA?: 'optional' | 'required';
  @IsOptional() @IsInt() @Min(0) @Max(60000) AUTH_CACHE_MAX_AGE_MS?: number;
}

class PasswordEnv {
  @IsOptional() @IsInt() @Min(8) @Max(128) PASSWORD_MIN_LENGTH?: number;
}

export const DEFAULT_PASSWORD_MIN_LENGTH = 10;

/**
 * The minimum length of a staff password. Read where a password is validated (a class-validator
 * decorator, outside Nest's injection), so it is a function of the environment, not a provider.
 */
export function passwordMinLength(): number {
  return readEnv(PasswordEnv).PASSWORD_MIN_LENGTH ?? DEFAULT_PASSWORD_MIN_LENGTH;
}

/** On the embedded default the signing key is generated once and kept under DATA_DIR. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const authConfig = registerAs('auth', () => {
  const env = readEnv(AuthEnv);
  const minLength = passwordMinLength();
  const embedded = !env.DATABASE_URL;
  let jwtSecret = env.JWT_SECRET;
  if (!jwtSecret) {
    if (!embedded) {
      throw new EnvironmentError('Invalid environment: JWT_SECRET is required when DATABASE_URL is set');
    }
    jwtSecret = persistedSecret(resolve(env.DATA_DIR ?? './.data'));
  }
  return {
    jwtSecret,
    jwtTtlSeconds: env.JWT_TTL_SECONDS ?? 8 * 3600,
    adminEmail: env.ADMIN_EMAIL,
    adminPassword: env.ADMIN_PASSWORD,
    /** Whether a first admin with a random password may be created (embedded default only). */
    generateAdmin: embedded,
    passwordMinLength: minLength,
    passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES ?? 60,
    /** `required`: an admin without TOTP gets a token that only opens enrolment (see AuthGuard). */
    staffTwoFactor: env.STAFF_2FA ?? 'optional',
    /**
     * How long a staff user's state (active, token version, role), read to check a token, may be
     * reused by later requests while the users table's notifications are listened to (0: read on
     * every request). A command never listens, so it always reads.
     */
    authCacheMaxAgeMs: isCommandLineProcess() ? 0 : (env.AUTH_CACHE_MAX_AGE_MS ?? 5000),
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;
