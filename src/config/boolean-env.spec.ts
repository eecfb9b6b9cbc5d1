import { appConfig } from './app.config';
import { schedulerConfig } from './scheduler.config';

describe('boolean environment variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('should read "false" as false (not as a non-empty string)', () => {
    process.env.SCHEDULER_ENABLED = 'false';
    process.env.TRUST_PROXY = 'false';
    expect(schedulerConfig().enabled).toBe(false);
    expect(appConfig().trustProxy).toBe(false);
  });

  it('should read "true" as true and refuse anything else', () => {
    process.env.SCHEDULER_ENABLED = 'true';
    expect(schedulerConfig().enabled).toBe(true);
    process.env.SCHEDULER_ENABLED = 'maybe';
    expect(() => schedulerConfig()).toThrow(/SCHEDULER_ENABLED must be a boolean/);
  });
});
