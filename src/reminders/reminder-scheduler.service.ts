import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '../common/clock';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { RemindersService } from './reminders.service';

const JOB_NAME = 'anniversary-reminders';

/**
 * Fires the reminder tick on REMINDER_CRON and once at start (to catch up after downtime).
 * The tick itself is idempotent; the flag only spares a slow tick from a pointless overlap.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly reminders: RemindersService,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(schedulerConfig.KEY) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.enabled) return;
    const job = CronJob.from({ cronTime: this.config.reminderCron, onTick: () => this.runTick(), start: true });
    this.registry.addCronJob(JOB_NAME, job);
    void this.runTick();
    this.logger.log(
      `Reminder scheduler started (${this.config.reminderCron}, catch-up window ${this.config.catchUpHours} h)`,
    );
  }

  async runTick(): Promise<void> {
    if (this.running) return;
    this.running = this.reminders
      .tick(this.clock.now())
      .catch((error: unknown) => this.logger.error({ err: error }, 'Reminder tick failed'));
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('cron', JOB_NAME)) this.registry.deleteCronJob(JOB_NAME);
    await this.running;
  }
}
