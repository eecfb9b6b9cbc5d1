import { SetMetadata } from '@nestjs/common';
import type { SchedulerConfig } from '../config/scheduler.config';

export const JOB_HANDLER = 'commemoration:job-handler';
export const TICK = 'commemoration:tick';

/** What a handler learns about the job it runs. */
export interface JobContext {
  id: string;
  kind: string;
  /** Claims so far, this one included: 1 on the first run. */
  attempts: number;
}

/** A handler's answer: nothing when the job is done; `dropped` when it was deliberately not done (kept with the reason). */
export type JobResult = void | { dropped: string };

/**
 * Declares the method that runs jobs of `kind`: `(payload, job: JobContext) => Promise<JobResult>`.
 * Found at start through Nest's discovery; the app refuses to start when a kind is declared twice
 * or a queued job has no handler. A handler must be idempotent (a job whose outcome was not
 * recorded before a crash runs again after its lease); throwing means "try again later",
 * PermanentJobError "never".
 */
export const JobHandler = (kind: string) => SetMetadata(JOB_HANDLER, kind);

export interface TickOptions {
  name: string;
  /** A cron expression, or one read from the scheduler settings (e.g. REMINDER_CRON). */
  cron: string | ((settings: SchedulerConfig) => string);
  /** Also run once at start (to catch up after downtime). */
  atStart?: boolean;
}

/**
 * Declares a scheduled task: the method is called as `(now: Date) => Promise<unknown>` on its cron
 * where the scheduler role is on. It must be idempotent across instances (each is claimed in the
 * database or harmless twice): every instance with the role runs every tick.
 */
export const Tick = (name: string, cron: TickOptions['cron'], options: { atStart?: boolean } = {}) =>
  SetMetadata(TICK, { name, cron, atStart: options.atStart ?? false } satisfies TickOptions);
