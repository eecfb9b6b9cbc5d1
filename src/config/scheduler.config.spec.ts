import { markCommandLineProcess, schedulerConfig } from './scheduler.config';

describe('scheduler config', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('should keep every background job off in a command-line process, whatever SCHEDULER_ENABLED says', () => {
    process.env.SCHEDULER_ENABLED = 'true';
    expect(schedulerConfig().enabled).toBe(true);
    markCommandLineProcess();
    expect(schedulerConfig().enabled).toBe(false);
  });
});
