import { classifyMailError } from '../mail/mail.service';
import { retryDelay } from './retry-policy';

describe('retryDelay', () => {
  const settings = { maxAttempts: 4, baseMs: 1000, maxMs: 3000 };

  it('should double the wait after each temporary failure, up to the cap, and stop at the last attempt', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelay(attempts, settings, false))).toEqual([1000, 2000, 3000, null]);
  });

  it('should never retry a permanent failure', () => {
    expect(retryDelay(1, settings, true)).toBeNull();
  });
});

describe('classifyMailError', () => {
  it('should take 5xx replies and refused envelopes for permanent, 4xx and lost connections for temporary', () => {
    expect(classifyMailError({ responseCode: 550 })).toBe('permanent');
    expect(classifyMailError({ code: 'EENVELOPE' })).toBe('permanent');
    expect(classifyMailError({ responseCode: 421 })).toBe('temporary');
    expect(classifyMailError({ code: 'ECONNRESET' })).toBe('temporary');
  });
});
