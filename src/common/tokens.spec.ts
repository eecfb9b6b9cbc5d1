import { generateToken, generateTokens, hashToken, isWellFormedToken } from './tokens';

describe('tokens', () => {
  it('should draw well-formed, distinct tokens in bulk, each with the hash of its own text', () => {
    const sut = generateTokens(500);
    expect(sut).toHaveLength(500);
    expect(sut.every(({ token, hash }) => isWellFormedToken(token) && hash === hashToken(token))).toBe(true);
    expect(new Set(sut.map(({ token }) => token)).size).toBe(500);
  });

  it('should make a single token of the same shape', () => {
    const { token, hash } = generateToken();
    expect(isWellFormedToken(token)).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
  });
});
