import { Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '../common/clock';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { JobHandlers } from './job-handlers';

/**
 * The one cron scheduler: every @Tick method on its cron, with one logging and error policy. A
 * tick still running when its next time comes is not started twice on this instance (ticks are
 * idempotent, so this only spares a pointless overlap); a failed tick is logged and the next retries.
 */
@Injectable()
export class ScheduledTicks {
  private readonly logger = new Logger(ScheduledTicks.name);
  private readonly running = new Map<string, Promise<void>>();
  private readonly names: string[] = [];

  constructor(
    private readonly handlers: JobHandlers,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(schedulerConfig.KEY) private readonly settings: SchedulerConfig,
  ) {}

  start(): void {
    for (const tick of this.handlers.scheduled()) {
      const cronTime = typeof tick.cron === 'string' ? tick.cron : tick.cron(this.settings);
      const job = CronJob.from({ cronTime, onTick: () => this.run(tick.name, tick.run), start: true });
      this.registry.addCronJob(tick.name, job);
      this.names.push(tick.name);
      if (tick.atStart) void this.run(tick.name, tick.run);
    }
    this.logger.log(`Scheduled: ${this.names.map((name) => `${name} (${this.cronOf(name)})`).join(', ')}`);
  }

  /** Runs a tick now, unless it is running already (then waits for that run). For tests and the CLI too. */
  run(name: string, tick: (now: Date) => Promise<unknown>): Promise<void> {
    const current = this.running.get(name);
    if (current) return current;
    const run = tick(this.clock.now())
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error({ err: error, tick: name }, `Scheduled task ${name} failed; its next run retries`),
      )
      .finally(() => this.running.delete(name));
    this.running.set(name, run);
    return run;
  }

  async stop(): Promise<void> {
    for (const name of this.names.splice(0))
      if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    await Promise.all(this.running.values());
  }

  private cronOf(name: string): string {
    const job = this.registry.getCronJob(name);
    return String(job.cronTime.source);
  }
}
