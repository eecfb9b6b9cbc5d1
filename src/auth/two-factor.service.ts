import { Inject, Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { Clock } from '../common/clock';
import { hashToken } from '../common/tokens';
import { authConfig, AuthConfig } from '../config/auth.config';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const RECOVERY_CODES = 10;
/** One step either side of now (RFC 6238 §5.2's allowance for clock drift and typing time). */
const TOLERANCE_SECONDS = 30;

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with otplib. The secret is sealed with AES-256-GCM under
 * a key derived from JWT_SECRET, so the database alone does not give it away; the last accepted
 * time step is kept, and a code of that step or earlier is refused, so a code cannot be replayed.
 */
@Injectable()
export class TwoFactorService {
  private readonly logger = new Logger(TwoFactorService.name);
  private readonly key: Buffer;

  constructor(
    private readonly users: UsersRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) auth: AuthConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', auth.jwtSecret, 'commemoration-api', 'staff-totp v1', 32));
  }

  newSecret(email: string): { secret: string; otpauthUrl: string; sealed: Buffer } {
    const secret = generateSecret();
    return {
      secret,
      otpauthUrl: generateURI({ issuer: this.commemoration.name, label: email, secret }),
      sealed: this.seal(secret),
    };
  }

  /** The time step of a right code for the user's (pending or enabled) secret, or null. Does not record it. */
  async matchingStep(user: User, code: string): Promise<number | null> {
    if (!user.totpSecret || !/^\d{6}$/.test(code)) return null;
    let secret: string;
    try {
      secret = this.open(user.totpSecret);
    } catch {
      // Sealed under another JWT_SECRET: no code can match; the recovery codes still work.
      this.logger.warn({ userId: user.id }, 'TOTP secret cannot be opened (JWT_SECRET changed?)');
      return null;
    }
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(this.clock.now().getTime() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      afterTimeStep: user.totpLastStep ?? undefined,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }

  /**
   * Checks a sign-in code: a TOTP code of a step later than the last accepted one, recorded
   * atomically (two requests with one code: one wins), or an unused recovery code, used up.
   */
  async accept(user: User, code: string): Promise<boolean> {
    const step = await this.matchingStep(user, code.trim());
    if (step !== null) return this.users.acceptTotpStep(user.id, step);
    const normalized = normalizeRecoveryCode(code);
    return normalized ? this.users.useRecoveryCode(user.id, hashToken(normalized)) : false;
  }

  /** Ten one-time recovery codes (80 random bits each, `xxxx-xxxx-xxxx-xxxx-xxxx`) and their hashes. */
  recoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: RECOVERY_CODES }, () =>
      randomBytes(10)
        .toString('hex')
        .replace(/(.{4})(?!$)/g, '$1-'),
    );
    return { codes, hashes: codes.map((code) => hashToken(normalizeRecoveryCode(code)!)) };
  }

  private seal(secret: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  private open(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** A recovery code as stored: 20 lower-case hex digits, dashes and spaces ignored; null when it cannot be one. */
function normalizeRecoveryCode(code: string): string | null {
  const compact = code.replace(/[\s-]/g, '').toLowerCase();
  return /^[0-9a-f]{20}$/.test(compact) ? compact : null;
}
