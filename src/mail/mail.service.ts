import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, SendMailOptions, Transporter } from 'nodemailer';
import { appConfig, AppConfig } from '../config/app.config';
import { mailConfig, MailConfig } from '../config/mail.config';
import { MailFailureKind, OutgoingMail, SentMail } from './mail.types';

/** Redacts the credentials of an smtp:// URL for logs. */
function describeSmtpUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`;
}

/**
 * Classifies a nodemailer error: 4xx replies, timeouts and lost connections are temporary
 * (retry later); 5xx replies and refused envelopes are permanent.
 */
export function classifyMailError(error: unknown): MailFailureKind {
  const { responseCode, code } = (error ?? {}) as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number') return responseCode >= 500 ? 'permanent' : 'temporary';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return 'permanent';
  return 'temporary';
}

/**
 * How long to wait before trying a failed message again, or null when it has failed for good: a
 * temporary failure is retried after MAILING_RETRY_BASE_MS, doubling up to MAILING_RETRY_MAX_MS,
 * until `attempt` (this one included) reaches MAILING_MAX_ATTEMPTS.
 */
export function retryDelayMs(error: unknown, attempt: number, settings: Pick<MailConfig['delivery'], 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs'>): number | null {
  if (classifyMailError(error) !== 'temporary' || attempt >= settings.maxAttempts) return null;
  return Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** (attempt - 1));
}

/** The server's reply if there was one (e.g. "550 5.1.1 No such user"), else the error message. */
export function describeMailError(error: unknown): string {
  const { response, message } = (error ?? {}) as { response?: unknown; message?: unknown };
  return String(typeof response === 'string' && response ? response : (message ?? error));
}

/**
 * The only way the app sends mail. With SMTP_URL it uses one pooled nodemailer transport;
 * without it, each message is written as an .eml file under DATA_DIR/mail.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly fileDir?: string;

  constructor(
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    @Inject(appConfig.KEY) app: AppConfig,
  ) {
    if (config.smtpUrl) {
      this.transport = createTransport({
        url: config.smtpUrl,
        pool: true,
        maxConnections: config.poolConnections,
        maxMessages: config.maxMessagesPerConnection,
        ...(config.ratePerSecond > 0 ? { rateDelta: 1000, rateLimit: config.ratePerSecond } : {}),
        connectionTimeout: config.timeoutMs,
        greetingTimeout: config.timeoutMs,
        socketTimeout: config.timeoutMs,
      });
      this.logger.log(`Mail goes through ${describeSmtpUrl(config.smtpUrl)} (pool of ${config.poolConnections})`);
    } else {
      this.fileDir = join(app.dataDir, 'mail');
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.logger.log(`Mail is written as .eml files to ${this.fileDir} (SMTP_URL is not set)`);
    }
  }

  /** Connections the pool may have open at once: the most messages that can be in flight. */
  get maxInFlight(): number {
    return this.fileDir ? 1 : this.config.poolConnections;
  }

  newMessageId(): string {
    return `<${randomUUID()}@${this.config.messageIdDomain}>`;
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? this.newMessageId();
    const headers: SendMailOptions['headers'] = { ...(mail.headers ?? {}) };
    if (mail.unsubscribeUrl) {
      // Prepared: kept on one line, as mailbox providers expect for one-click unsubscribe.
      headers['List-Unsubscribe'] = { prepared: true, value: `<${mail.unsubscribeUrl}>` };
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    if (mail.language) headers['Content-Language'] = mail.language;
    const info = (await this.transport.sendMail({
      from: this.config.from,
      replyTo: this.config.replyTo,
      to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments,
      messageId,
      // The MIME boundaries come from the Message-ID's random part: without it nodemailer draws
      // fresh random bytes for every part of every message (4% of a mailing's CPU in a profile).
      baseBoundary: messageId.replace(/[^0-9a-z]/gi, '').slice(0, 32),
      headers,
    })) as { messageId: string; response?: string; message?: Buffer };
    if (this.fileDir && info.message) {
      await mkdir(this.fileDir, { recursive: true });
      const file = join(this.fileDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 36)}.eml`);
      await writeFile(file, info.message);
      this.logger.log({ file }, 'Mail written');
      return { messageId, response: 'written to file', file };
    }
    return { messageId, response: String(info.response ?? '') };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
