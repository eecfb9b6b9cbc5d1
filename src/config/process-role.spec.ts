import { appConfig } from './app.config';
import { markCommandLineProcess } from './process-role';
import { schedulerConfig } from './scheduler.config';

describe('command-line process', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('should keep background jobs and the metrics listener off in a CLI process, whatever the environment says', () => {
    process.env.SCHEDULER_ENABLED = 'true';
    process.env.METRICS_PORT = '9464';
    expect(schedulerConfig().enabled).toBe(true);
    expect(appConfig().metricsPort).toBe(9464);
    markCommandLineProcess();
    expect(schedulerConfig().enabled).toBe(false);
    expect(appConfig().metricsPort).toBeUndefined();
  });
});
