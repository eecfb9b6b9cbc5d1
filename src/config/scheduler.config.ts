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
    // Every job checks `enabled` before it does anything; a CLI process never runs them.
    enabled: !isCommandLineProcess() && (env.SCHEDULER_ENABLED ?? true),
    /** A command-line process sends the mail its command wrote before it exits (a server leaves it to the next poll). */
    sendOutboxBeforeExit: isCommandLineProcess(),
    reminderCron,
    catchUpHours: env.REMINDER_CATCH_UP_HOURS ?? 12,
    signupResendMinutes: env.SIGNUP_RESEND_MINUTES ?? 10,
    signupExpiryHours: env.SIGNUP_EXPIRY_HOURS ?? 72,
  };
});
export type SchedulerConfig = ReturnType<typeof schedulerConfig>;
