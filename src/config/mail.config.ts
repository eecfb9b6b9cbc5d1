import { registerAs } from '@nestjs/config';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { readEnv } from './env';

class MailEnv {
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;
  @IsOptional() @IsString() MAIL_FROM?: string;
  @IsOptional() @IsString() MAIL_REPLY_TO?: string;
  @IsOptional()
  @Matches(/^[a-z0-9.-]+$/i, { message: 'MAIL_MESSAGE_ID_DOMAIN must be a host name' })
  MAIL_MESSAGE_ID_DOMAIN?: string;
  @IsOptional() @IsInt() @Min(1) SMTP_POOL_CONNECTIONS?: number;
  @IsOptional() @IsInt() @Min(1) SMTP_MAX_MESSAGES_PER_CONNECTION?: number;
  @IsOptional() @IsInt() @Min(0) SMTP_RATE_PER_SECOND?: number;
  @IsOptional() @IsInt() @Min(0) SMTP_RATE_PER_HOUR?: number;
  @IsOptional() @IsInt() @Min(100) SMTP_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1000) MAILING_BATCH_SIZE?: number;
  @IsOptional() @IsInt() @Min(10) MAILING_POLL_MS?: number;
  @IsOptional() @IsInt() @Min(1) MAILING_LEASE_SECONDS?: number;
  @IsOptional() @IsInt() @Min(1) MAILING_MAX_ATTEMPTS?: number;
  @IsOptional() @IsInt() @Min(0) MAILING_RETRY_BASE_MS?: number;
  @IsOptional() @IsInt() @Min(0) MAILING_RETRY_MAX_MS?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) MAILING_FAILURE_THRESHOLD?: number;
  @IsOptional() @IsInt() @Min(1) MAILING_FAILURE_MIN_SAMPLE?: number;
  @IsOptional() @IsInt() @Min(0) MAILING_SHUTDOWN_WAIT_MS?: number;
}

export const mailConfig = registerAs('mail', () => {
  const env = readEnv(MailEnv);
  const from = env.MAIL_FROM ?? 'Commemoration <no-reply@localhost>';
  const fromDomain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return {
    /** Unset means: write each message as an .eml file under DATA_DIR/mail. */
    smtpUrl: env.SMTP_URL,
    from,
    replyTo: env.MAIL_REPLY_TO,
    messageIdDomain: env.MAIL_MESSAGE_ID_DOMAIN ?? fromDomain,
    poolConnections: env.SMTP_POOL_CONNECTIONS ?? 5,
    maxMessagesPerConnection: env.SMTP_MAX_MESSAGES_PER_CONNECTION ?? 1000,
    /** 0 = unlimited. */
    ratePerSecond: env.SMTP_RATE_PER_SECOND ?? 0,
    /** 0 = unlimited. */
    ratePerHour: env.SMTP_RATE_PER_HOUR ?? 0,
    timeoutMs: env.SMTP_TIMEOUT_MS ?? 30000,
    /** Bulk delivery (mailings): see docs/mailings.md. */
    delivery: {
      batchSize: env.MAILING_BATCH_SIZE ?? 200,
      pollMs: env.MAILING_POLL_MS ?? 1000,
      /** A row left in 'sending' longer than this (its instance died) is claimed again. */
      leaseSeconds: env.MAILING_LEASE_SECONDS ?? 600,
      maxAttempts: env.MAILING_MAX_ATTEMPTS ?? 6,
      retryBaseMs: env.MAILING_RETRY_BASE_MS ?? 60_000,
      retryMaxMs: env.MAILING_RETRY_MAX_MS ?? 6 * 3600_000,
      /** Share of failed deliveries (of those attempted) that stops a mailing. */
      failureThreshold: env.MAILING_FAILURE_THRESHOLD ?? 0.2,
      failureMinSample: env.MAILING_FAILURE_MIN_SAMPLE ?? 50,
      shutdownWaitMs: env.MAILING_SHUTDOWN_WAIT_MS ?? 15_000,
    },
  };
});
export type MailConfig = ReturnType<typeof mailConfig>;
