import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { finishesWithin } from '../common/finishes-within';
import { Clock } from '../common/clock';
import { GroupCommit } from '../common/group-commit';
import { addressKey, RateLimits } from '../common/rate-limit.service';
import { mailConfig, MailConfig } from '../config/mail.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { MetricsService } from '../metrics/metrics.service';
import { ClaimedOutboxMail, MailOutboxRepository, OutboxOutcome } from './mail-outbox.repository';
import { MailOutbox } from './mail-outbox.service';
import { describeMailError, MailService, retryDelayMs } from './mail.service';
import type { OutgoingMail } from './mail.types';

/** A claimed row's message, or why it cannot be opened. */
type Opened = { content: unknown } | { error: Error };

/**
 * Sends the mail outbox. Woken by MailOutbox once a transaction that wrote messages commits (in
 * any process, CLI commands included), and with the scheduler on it also polls every
 * MAILING_POLL_MS for retries, rows written by other instances and rows a crashed instance left
 * claimed. Any number of instances may run it (claims use SKIP LOCKED); retries, lease and
 * attempts follow the mailing settings (MAILING_RETRY_BASE_MS, MAILING_MAX_ATTEMPTS...).
 */
@Injectable()
export class MailOutboxProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailOutboxProcessor.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}:outbox`;
  private readonly settings: MailConfig['delivery'];
  private readonly outcomes: GroupCommit<OutboxOutcome>;
  private stopping = false;
  private pass: Promise<void> | null = null;
  private again = false;
  private poller?: Promise<void>;
  private readonly idle = new AbortController();

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly sealing: MailOutbox,
    private readonly mail: MailService,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    private readonly limits: RateLimits,
    @Inject(mailConfig.KEY) mailSettings: MailConfig,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {
    this.settings = mailSettings.delivery;
    this.outcomes = new GroupCommit((outcomes) => this.outbox.recordOutcomes(outcomes, this.instanceId));
    sealing.onWake(() => this.kick());
  }

  onApplicationBootstrap(): void {
    if (!this.scheduler.enabled) return;
    this.poller = this.poll();
  }

  /**
   * Stop claiming; let the messages in flight finish and be recorded, within a bounded wait. A CLI
   * command first sends what it wrote (bounded too).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.sendOutboxBeforeExit) {
      const sent = await finishesWithin(this.settled(), this.settings.shutdownWaitMs);
      if (!sent) this.logger.warn('Not all mail of this command was sent before exit; a running server sends the rest');
    }
    this.stopping = true;
    this.idle.abort();
    const finished = await finishesWithin(Promise.all([this.pass, this.poller]), this.settings.shutdownWaitMs);
    if (!finished)
      this.logger.warn(
        `Mail outbox did not finish within ${this.settings.shutdownWaitMs} ms; rows still claimed are sent after the lease`,
      );
  }

  /** Starts a pass, or asks the running one to look again when it is done. */
  kick(): void {
    if (this.stopping) return;
    this.again = true;
    if (!this.pass) this.pass = this.passes();
  }

  /** Resolves once nothing is due and nothing is in flight here (tests; a CLI command before it exits). */
  async settled(): Promise<void> {
    for (;;) {
      this.kick();
      while (this.pass) await this.pass;
      if (this.stopping || !(await this.outbox.hasDue(this.clock.now()))) return;
    }
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      this.kick();
      await delay(this.settings.pollMs, undefined, { signal: this.idle.signal }).catch(() => undefined);
    }
  }

  /** Passes until nobody asked for another look meanwhile. */
  private async passes(): Promise<void> {
    await Promise.resolve(); // `pass` is set before this can finish
    try {
      while (this.again && !this.stopping) {
        this.again = false;
        await this.drain().catch((error: unknown) => this.logger.error({ err: error }, 'Mail outbox pass failed'));
      }
    } finally {
      // Reset in the same step as the last check of `again`, so no kick can fall in between.
      this.pass = null;
    }
  }

  /** Claims and sends batches until a claim comes back short. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const claimed = await this.outbox.claim(
        this.instanceId,
        this.settings.batchSize,
        this.clock.now(),
        this.settings.leaseSeconds,
      );
      if (claimed.length > 0) await this.sendAll(claimed);
      if (claimed.length < this.settings.batchSize) return;
    }
  }

  /** At most one message per pooled SMTP connection in flight; each outcome is committed before the next message. */
  private async sendAll(claimed: ClaimedOutboxMail[]): Promise<void> {
    const opened = new Map(claimed.map((row) => [row.id, this.open(row)]));
    const dropped = await this.overRecipientBound(claimed, opened);
    const queue = [...claimed];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        if (this.stopping) {
          await this.outbox.release(
            [row, ...queue.splice(0)].map((rest) => rest.id),
            this.instanceId,
          );
          return;
        }
        // A deferred request (MailOutbox.defer) is decided by its handler; its mail, if any, is a row of its own.
        const handler = this.sealing.handlerOf(row.kind);
        const outcome = await this.sendOne(row, opened.get(row.id) as Opened, dropped.has(row.id), handler);
        const done = handler ? 'decided' : 'sent';
        this.metrics.outboxMails.inc({
          outcome: outcome.status === 'queued' ? 'retried' : outcome.status === 'sent' ? done : outcome.status,
        });
        // A database error is not a mail failure: the row stays claimed and is sent again after the lease.
        await this.outcomes
          .record(outcome)
          .catch((error: unknown) =>
            this.logger.error({ err: error, outboxId: row.id }, 'The outcome of an outbox mail could not be recorded'),
          );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.mail.maxInFlight) }, worker));
  }

  private open(row: ClaimedOutboxMail): Opened {
    try {
      if (!row.sealed) throw new Error('no message');
      return { content: this.sealing.open<unknown>(row.sealed) };
    } catch (error) {
      return { error: error as Error };
    }
  }

  /**
   * Spends one of the recipient's hourly sends (key: SHA-256 of the address) for each mail of the
   * batch the public can cause, in one statement for the batch; once per message, on its first
   * attempt, so a retry after an SMTP failure is free. Returns the rows over the bound.
   */
  private async overRecipientBound(
    claimed: readonly ClaimedOutboxMail[],
    opened: ReadonlyMap<string, Opened>,
  ): Promise<Set<string>> {
    const bounded: Array<{ id: string; address: string }> = [];
    for (const row of claimed) {
      const message = opened.get(row.id);
      if (!message || !('content' in message) || this.sealing.handlerOf(row.kind) || row.attempts !== 1) continue;
      const mail = message.content as OutgoingMail;
      if (mail.triggeredBy !== 'staff' && typeof mail.to?.address === 'string')
        bounded.push({ id: row.id, address: mail.to.address });
    }
    if (bounded.length === 0) return new Set();
    const allowed = await this.limits.consumeMany(
      'mail-recipient',
      bounded.map((row) => addressKey(row.address)),
    );
    return new Set(bounded.filter((_row, index) => !allowed[index]).map((row) => row.id));
  }

  private async sendOne(
    row: ClaimedOutboxMail,
    opened: Opened,
    overBound: boolean,
    handler?: (payload: unknown) => Promise<void>,
  ): Promise<OutboxOutcome> {
    if ('error' in opened) {
      // Sealed under another JWT_SECRET, or damaged: it can never be sent.
      this.logger.error(
        { outboxId: row.id, kind: row.kind },
        `An outbox mail cannot be opened (${opened.error.message}); it is marked failed`,
      );
      return { id: row.id, status: 'failed', error: `cannot be opened: ${opened.error.message}`, retryAt: null };
    }
    const { content } = opened;
    if (overBound) {
      // Not retried, and not told to anyone: the request that caused it was answered as usual.
      this.logger.warn(
        { outboxId: row.id, kind: row.kind },
        'Mail dropped: its recipient reached MAIL_RECIPIENT_HOURLY_LIMIT',
      );
      return { id: row.id, status: 'dropped', error: 'recipient over its hourly bound', retryAt: null };
    }
    try {
      if (handler) await handler(content);
      else await this.mail.send(content as OutgoingMail);
      return { id: row.id, status: 'sent', error: null, retryAt: null };
    } catch (error) {
      const reply = describeMailError(error);
      // The claim counted this attempt already.
      const retryIn = retryDelayMs(error, row.attempts, this.settings);
      if (retryIn !== null) {
        this.logger.warn(
          { outboxId: row.id, kind: row.kind, attempts: row.attempts, reply },
          `${handler ? 'Deferred request not decided' : 'Mail not accepted'}; it is tried again later`,
        );
        return { id: row.id, status: 'queued', error: reply, retryAt: new Date(this.clock.now().getTime() + retryIn) };
      }
      this.logger.error(
        { outboxId: row.id, kind: row.kind, attempts: row.attempts, reply },
        `${handler ? 'Deferred request' : 'Mail'} failed for good`,
      );
      return { id: row.id, status: 'failed', error: reply, retryAt: null };
    }
  }
}
