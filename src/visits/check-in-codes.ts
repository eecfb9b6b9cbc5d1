import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { qrPng } from '../mail/qr-image';
import { authConfig, AuthConfig } from '../config/auth.config';

/** 16 bytes of HMAC: 128 bits, 22 base64url characters. */
const CODE_BYTES = 16;
const CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A booking's check-in code: HMAC of its manage-token hash under a key derived (HKDF) from
 * JWT_SECRET. It checks the party in at the desk and opens nothing else; the manage token cannot
 * be recovered from it. Stored only as its SHA-256 (for the desk's look-up); the server derives
 * it again from the stored token hash whenever a mail or the manage page shows it.
 */
@Injectable()
export class CheckInCodes {
  private readonly key: Buffer;

  constructor(@Inject(authConfig.KEY) auth: AuthConfig) {
    this.key = Buffer.from(hkdfSync('sha256', auth.jwtSecret, 'commemoration-api', 'check-in code v1', 32));
  }

  codeFor(manageTokenHash: string): string {
    return createHmac('sha256', this.key)
      .update(manageTokenHash, 'utf8')
      .digest()
      .subarray(0, CODE_BYTES)
      .toString('base64url');
  }

  hashOf(code: string): string {
    return createHash('sha256').update(code, 'utf8').digest('hex');
  }

  /** The desk may send the bare code or the whole scanned URL; null when neither has a code's shape. */
  parse(input: string): string | null {
    const trimmed = input.trim();
    if (CODE_PATTERN.test(trimmed)) return trimmed;
    try {
      const code = new URL(trimmed).searchParams.get('code');
      return code && CODE_PATTERN.test(code) ? code : null;
    } catch {
      return null;
    }
  }

  /** The QR image of a code as PNG (the image holds the bare code: a small symbol that scans at a glance). */
  png(code: string): Promise<Buffer> {
    return Promise.resolve(qrPng(code));
  }
}
