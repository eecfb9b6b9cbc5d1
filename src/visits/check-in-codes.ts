import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import * as QRCode from 'qrcode';
import { PNG } from 'pngjs';
// The PNG renderer of qrcode, without its stream (see `png`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render: renderPng } = require('qrcode/lib/renderer/png') as { render(qr: QRCode.QRCode, options: object): PNG };
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
    return createHmac('sha256', this.key).update(manageTokenHash, 'utf8').digest().subarray(0, CODE_BYTES).toString('base64url');
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

  /**
   * The QR image as PNG, drawn synchronously: the streaming encoder behind `QRCode.toBuffer`
   * tries every row filter and, with many bookings at once, held the event loop for seconds.
   * One fixed mask and no row filter cost about 1.5 ms; the image holds the bare code (a small
   * symbol that scans at a glance); error correction M survives a cracked phone screen.
   */
  png(code: string): Promise<Buffer> {
    const options = { errorCorrectionLevel: 'M' as const, margin: 2, scale: 6, maskPattern: 2 as const };
    const image = renderPng(QRCode.create(code, options), options);
    return Promise.resolve(PNG.sync.write(image, { filterType: 0, deflateLevel: 6 }));
  }
}
