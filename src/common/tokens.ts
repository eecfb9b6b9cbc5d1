import { createHash, randomBytes } from 'node:crypto';

/** A self-service token: 256 random bits, URL-safe. Only its hash is stored. */
export function generateToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** Many tokens at once (a mailing batch): one draw of random bytes instead of one per token. */
export function generateTokens(count: number): Array<{ token: string; hash: string }> {
  const bytes = randomBytes(32 * count);
  return Array.from({ length: count }, (_, index) => {
    const token = bytes.subarray(32 * index, 32 * (index + 1)).toString('base64url');
    return { token, hash: hashToken(token) };
  });
}

/** SHA-256 is enough here: the input has 256 bits of entropy, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens have a fixed shape; anything else is rejected before touching the database. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}
