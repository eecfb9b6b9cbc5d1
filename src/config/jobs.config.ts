import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { readEnv } from './env';

/**
 * The job queue (table `jobs`: transactional mail and deferred decisions). Each JOBS_* setting
 * falls back to the MAILING_* setting of the same meaning, which the queue used to share with
 * bulk mail, so an existing environment keeps its behaviour.
 */
class JobsEnv {
  @IsOptional() @IsInt() @Min(1) @Max(1000) JOBS_BATCH_SIZE?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100) JOBS_CONCURRENCY?: number;
  @IsOptional() @IsInt() @Min(10) JOBS_POLL_MS?: number;
  @IsOptional() @IsInt() @Min(1) JOBS_LEASE_SECONDS?: number;
  @IsOptional() @IsInt() @Min(1) JOBS_MAX_ATTEMPTS?: number;
  @IsOptional() @IsInt() @Min(0) JOBS_RETRY_BASE_MS?: number;
  @IsOptional() @IsInt() @Min(0) JOBS_RETRY_MAX_MS?: number;
  @IsOptional() @IsInt() @Min(0) JOBS_SHUTDOWN_WAIT_MS?: number;
  // The names read before JOBS_* existed (validated in mail.config.ts as well).
  @IsOptional() @IsInt() MAILING_BATCH_SIZE?: number;
  @IsOptional() @IsInt() MAILING_POLL_MS?: number;
  @IsOptional() @IsInt() MAILING_LEASE_SECONDS?: number;
  @IsOptional() @IsInt() MAILING_MAX_ATTEMPTS?: number;
  @IsOptional() @IsInt() MAILING_RETRY_BASE_MS?: number;
  @IsOptional() @IsInt() MAILING_RETRY_MAX_MS?: number;
  @IsOptional() @IsInt() MAILING_SHUTDOWN_WAIT_MS?: number;
  @IsOptional() @IsInt() SMTP_POOL_CONNECTIONS?: number;
}

export const jobsConfig = registerAs('jobs', () => {
  const env = readEnv(JobsEnv);
  return {
    batchSize: env.JOBS_BATCH_SIZE ?? env.MAILING_BATCH_SIZE ?? 200,
    /** Jobs run at once per instance; most jobs send a mail, so one per pooled SMTP connection by default. */
    concurrency: env.JOBS_CONCURRENCY ?? env.SMTP_POOL_CONNECTIONS ?? 5,
    pollMs: env.JOBS_POLL_MS ?? env.MAILING_POLL_MS ?? 1000,
    /** A job left 'running' longer than this (its instance died) is claimed again. */
    leaseSeconds: env.JOBS_LEASE_SECONDS ?? env.MAILING_LEASE_SECONDS ?? 600,
    retry: {
      maxAttempts: env.JOBS_MAX_ATTEMPTS ?? env.MAILING_MAX_ATTEMPTS ?? 6,
      baseMs: env.JOBS_RETRY_BASE_MS ?? env.MAILING_RETRY_BASE_MS ?? 60_000,
      maxMs: env.JOBS_RETRY_MAX_MS ?? env.MAILING_RETRY_MAX_MS ?? 6 * 3600_000,
    },
    shutdownWaitMs: env.JOBS_SHUTDOWN_WAIT_MS ?? env.MAILING_SHUTDOWN_WAIT_MS ?? 15_000,
  };
});
export type JobsConfig = ReturnType<typeof jobsConfig>;
