import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { jobsConfig, JobsConfig } from '../config/jobs.config';
import { MetricsService } from '../metrics/metrics.service';
import { JobHandlers } from './job-handlers';
import { ClaimedJob, JobOutcome, JobsRepository } from './jobs.repository';
import { Jobs } from './jobs.service';
import { JobsInstance } from './jobs-instance';
import { ClaimedBatch, QueueDefinition, QueueRunner } from './queue-runner';
import { PermanentJobError, retryDelay } from './retry-policy';

/** A claimed job with its payload opened, or why it cannot be. */
interface OpenedJob {
  row: ClaimedJob;
  opened: { payload: unknown } | { error: Error };
}

/** A job whose kind this instance has no handler for (an older instance during a rolling update) waits this long for another. */
const UNKNOWN_KIND_RETRY_MS = 60_000;

/** The `jobs` table as a queue: each job runs its kind's @JobHandler, retried by the one retry rule. */
@Injectable()
export class JobsQueue implements QueueDefinition<OpenedJob, JobOutcome> {
  private readonly logger = new Logger('Jobs');
  readonly name = 'jobs';
  readonly recordBeforeNext = true;
  readonly settings: JobsConfig;
  readonly runner: QueueRunner<OpenedJob, JobOutcome>;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly sealing: Jobs,
    private readonly handlers: JobHandlers,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    instance: JobsInstance,
    @Inject(jobsConfig.KEY) config: JobsConfig,
  ) {
    this.settings = config;
    this.runner = new QueueRunner(this, instance.id);
  }

  async claim(instanceId: string, limit: number): Promise<ClaimedBatch<OpenedJob>> {
    const rows = await this.jobs.claim(instanceId, limit, this.clock.now(), this.settings.leaseSeconds);
    return { claimed: rows.length, limit, items: rows.map((row) => ({ row, opened: this.open(row) })) };
  }

  async run({ row, opened }: OpenedJob): Promise<JobOutcome> {
    const outcome = await this.decide(row, opened);
    const counted = outcome.status === 'queued' ? 'retried' : outcome.status;
    this.metrics.jobs.inc({ kind: row.kind, outcome: counted });
    return outcome;
  }

  record(outcomes: JobOutcome[], instanceId: string): Promise<void> {
    return this.jobs.recordOutcomes(outcomes, instanceId);
  }

  release(items: OpenedJob[], instanceId: string): Promise<void> {
    return this.jobs.release(
      items.map((item) => item.row.id),
      instanceId,
    );
  }

  hasDue(): Promise<boolean> {
    return this.jobs.hasDue(this.clock.now());
  }

  private open(row: ClaimedJob): OpenedJob['opened'] {
    try {
      if (!row.payload) throw new Error('no payload');
      return { payload: this.sealing.open<unknown>(row.payload) };
    } catch (error) {
      return { error: error as Error };
    }
  }

  private async decide(row: ClaimedJob, opened: OpenedJob['opened']): Promise<JobOutcome> {
    const context = { id: row.id, kind: row.kind, attempts: row.attempts };
    if ('error' in opened) {
      // Sealed under another JWT_SECRET, or damaged: it can never run.
      this.logger.error(context, `A job cannot be opened (${opened.error.message}); it is marked failed`);
      return { id: row.id, status: 'failed', error: `cannot be opened: ${opened.error.message}`, retryAt: null };
    }
    const handler = this.handlers.of(row.kind);
    if (!handler) {
      this.logger.warn(context, 'No handler for this kind of job here; left for another instance');
      const retryAt = new Date(this.clock.now().getTime() + UNKNOWN_KIND_RETRY_MS);
      return { id: row.id, status: 'queued', error: 'no handler on this instance', retryAt };
    }
    try {
      const result = await handler(opened.payload, context);
      if (result && 'dropped' in result) {
        this.logger.warn(context, `Job dropped: ${result.dropped}`);
        return { id: row.id, status: 'dropped', error: result.dropped, retryAt: null };
      }
      return { id: row.id, status: 'done', error: null, retryAt: null };
    } catch (error) {
      const reason = (error as Error)?.message ?? String(error);
      const retryIn = retryDelay(row.attempts, this.settings.retry, error instanceof PermanentJobError);
      if (retryIn !== null) {
        this.logger.warn({ ...context, reason }, 'Job not done; it is tried again later');
        return { id: row.id, status: 'queued', error: reason, retryAt: new Date(this.clock.now().getTime() + retryIn) };
      }
      this.logger.error({ ...context, reason }, 'Job failed for good');
      return { id: row.id, status: 'failed', error: reason, retryAt: null };
    }
  }
}
