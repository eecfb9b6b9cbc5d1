import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { readEnv } from './env';

class MailEnv {
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;
  @IsOptional() @IsString() MAIL_FROM?: string;
  @IsOptional() @IsString() MAIL_REPLY_TO?: string;
  @IsOptional() @Matches(/^[a-z0-9.-]+$/i, { message: 'MAIL_MESSAGE_ID_DOMAIN must be a host name' })
  MAIL_MESSAGE_ID_DOMAIN?: string;
  @IsOptional() @IsInt() @Min(1) SMTP_POOL_CONNECTIONS?: number;
  @IsOptional() @IsInt() @Min(1) SMTP_MAX_MESSAGES_PER_CONNECTION?: number;
  @IsOptional() @IsInt() @Min(0) SMTP_RATE_PER_SECOND?: number;
  @IsOptional() @IsInt() @Min(0) SMTP_RATE_PER_HOUR?: number;
  @IsOptional() @IsInt() @Min(100) SMTP_TIMEOUT_MS?: number;
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
  };
});
export type MailConfig = ReturnType<typeof mailConfig>;
