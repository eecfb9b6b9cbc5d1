import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { finishesWithin } from '../common/finishes-within';
import { jobsConfig, JobsConfig } from '../config/jobs.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { JobHandlers } from './job-handlers';
import { JobWakeups } from './job-wakeups';
import { JobsRepository } from './jobs.repository';
import { JobsQueue } from './jobs.queue';
import { QueueRunner } from './queue-runner';
import { ScheduledTicks } from './scheduled-ticks';

/**
 * Background work on this instance: the queues' runners, the scheduled ticks and the wake-ups,
 * started together and stopped together, bounded. With the scheduler role (SCHEDULER_ENABLED,
 * never in a command-line process) every queue polls and the ticks run; without it only the job
 * queue runs, on wake-ups. Queues of other features register here.
 */
@Injectable()
export class Workers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Workers.name);
  private readonly runners = new Map<string, QueueRunner<unknown, unknown>>();

  constructor(
    private readonly jobs: JobsQueue,
    private readonly jobsTable: JobsRepository,
    private readonly handlers: JobHandlers,
    private readonly ticks: ScheduledTicks,
    private readonly wakeups: JobWakeups,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
    @Inject(jobsConfig.KEY) private readonly settings: JobsConfig,
  ) {
    this.register(jobs.runner);
  }

  register<Item, Outcome>(runner: QueueRunner<Item, Outcome>): void {
    this.runners.set(runner.name, runner as QueueRunner<unknown, unknown>);
  }

  /** Wakes one queue's runner ('*': all of them). */
  wake(queue: string): void {
    if (queue === '*') for (const runner of this.runners.values()) runner.wake();
    else this.runners.get(queue)?.wake();
  }

  /** Refuses to start when a queued job has no handler: it would wait for ever. */
  async onApplicationBootstrap(): Promise<void> {
    const unhandled = (await this.jobsTable.pendingKinds()).filter((kind) => !this.handlers.of(kind));
    if (unhandled.length > 0)
      throw new Error(
        `Jobs of kind ${unhandled.join(', ')} are queued but no handler is declared for them (@JobHandler); declared: ${this.handlers.kinds().join(', ')}`,
      );
    if (this.scheduler.drainJobsBeforeExit) return; // a command-line process: see beforeApplicationShutdown
    if (this.scheduler.enabled) {
      for (const runner of this.runners.values()) runner.start();
      this.ticks.start();
    } else {
      // Without the scheduler role an instance still runs the jobs wake-ups announce (its own
      // requests' mail among them), but polls nothing, sends no mailing and runs no scheduled task.
      this.jobs.runner.start({ poll: false });
    }
    await this.wakeups.listen((queue) => this.wake(queue));
  }

  /** A command-line process first runs the jobs it wrote (bounded); then everything stops, bounded. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.drainJobsBeforeExit) {
      const done = await finishesWithin(this.jobs.runner.settled(), this.settings.shutdownWaitMs);
      if (!done) this.logger.warn('Not all jobs of this command ran before exit; a running server runs the rest');
    }
    await this.wakeups.stop();
    await this.ticks.stop();
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }
}
