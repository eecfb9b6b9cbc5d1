import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Min, MinLength } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvironmentError, readEnv } from './env';
import { IsEmailAddress } from '../common/email-address';

class AuthEnv {
  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;
  @IsOptional() @IsInt() @Min(60) JWT_TTL_SECONDS?: number;
  @IsOptional() @IsEmailAddress({ requireTld: false }) ADMIN_EMAIL?: string;
  @IsOptional() @IsString() @MinLength(10, { message: 'ADMIN_PASSWORD must be at least 10 characters long' })
  ADMIN_PASSWORD?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsString() DATABASE_URL?: string;
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
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;
