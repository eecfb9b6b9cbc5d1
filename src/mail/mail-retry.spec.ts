import { retryDelayMs } from './mail.service';

describe('retryDelayMs', () => {
  const settings = { maxAttempts: 4, retryBaseMs: 1000, retryMaxMs: 3000 };
  const temporary = { responseCode: 421 };

  it('should double the wait after each temporary failure, up to the cap, and stop at the last attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(temporary, attempt, settings))).toEqual([1000, 2000, 3000, null]);
  });

  it('should never retry a permanent failure', () => {
    expect(retryDelayMs({ responseCode: 550 }, 1, settings)).toBeNull();
    expect(retryDelayMs({ code: 'EENVELOPE' }, 1, settings)).toBeNull();
  });

  it('should retry a lost connection as temporary', () => {
    expect(retryDelayMs({ code: 'ECONNRESET' }, 1, settings)).toBe(1000);
  });
});
