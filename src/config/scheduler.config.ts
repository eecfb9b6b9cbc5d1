import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { CronTime } from 'cron';
import { isCommandLineProcess } from './process-role';
import { EnvironmentError, EnvBoolean, readEnv } from './env';

class SchedulerEnv {
  @IsOptional() @EnvBoolean() @IsBoolean() SCHEDULER_ENABLED?: boolean;
  @IsOptional() @IsString() REMINDER_CRON?: string;
  @IsOptional() @IsInt() @Min(0) REMINDER_CATCH_UP_HOURS?: number;
  @IsOptional() @IsInt() @Min(1) SIGNUP_RESEND_MINUTES?: number;
  @IsOptional() @IsInt() @Min(1) SIGNUP_EXPIRY_HOURS?: number;
}

export const schedulerConfig = registerAs('scheduler', () => {
  const env = readEnv(SchedulerEnv);
  const reminderCron = env.REMINDER_CRON ?? '* * * * *';
  try {
    new CronTime(reminderCron);
  } catch {
    throw new EnvironmentError(`Invalid environment: REMINDER_CRON "${reminderCron}" is not a cron expression`);
  }
  return {
    // Background work (queues, scheduled ticks) starts only where `enabled` (src/jobs/workers.ts); a CLI process never runs it.
    enabled: !isCommandLineProcess() && (env.SCHEDULER_ENABLED ?? true),
    /** A command-line process runs the jobs its command wrote (mail) before it exits; a server runs them as they come. */
    drainJobsBeforeExit: isCommandLineProcess(),
    reminderCron,
    catchUpHours: env.REMINDER_CATCH_UP_HOURS ?? 12,
    signupResendMinutes: env.SIGNUP_RESEND_MINUTES ?? 10,
    signupExpiryHours: env.SIGNUP_EXPIRY_HOURS ?? 72,
  };
});
export type SchedulerConfig = ReturnType<typeof schedulerConfig>;
