import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { finishesWithin } from '../common/finishes-within';
import { Clock } from '../common/clock';
import { generateTokens } from '../common/tokens';
import { mailConfig, MailConfig } from '../config/mail.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { describeMailError, MailService, retryDelayMs } from '../mail/mail.service';
import { isHardBounce } from './bounces';
import { ClaimedDelivery, DeliveriesRepository, DeliveryOutcome } from './deliveries.repository';
import { GroupCommit } from '../common/group-commit';
import { MailingRenderer, PreparedMailing } from './mailing-renderer';
import { RenderedMessage } from './mailing-templates';
import { MailingsRepository } from './mailings.repository';

/** Claimed rows made ready to send. */
interface Batch {
  claimed: ClaimedDelivery[];
  /** How many rows the claim asked for: fewer claimed means nothing more is due now. */
  limit: number;
  outgoing: Outgoing[];
  mailingIds: string[];
  skipped: number;
  started: number;
}

/** A claimed row ready to go: its Message-ID and unsubscribe token were stored by the claim. */
interface Outgoing {
  row: ClaimedDelivery;
  unsubscribeUrl: string;
  mailing: PreparedMailing | null;
}

/** How long an outcome waits for others before the ledger write starts (see GroupCommit). */
const OUTCOME_LINGER_MS = 3;

/**
 * Sends frozen deliveries. Any number of instances may run it: each claims its own batches with
 * FOR UPDATE SKIP LOCKED, and every row moves queued -> sending -> sent/failed/skipped (or back
 * to queued for a retry) only while it is claimed by this instance. See docs/mailings.md.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryProcessor.name);
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private stopping = false;
  private loop?: Promise<void>;
  private current: Promise<number> = Promise.resolve(0);
  private readonly idle = new AbortController();
  /** Set by `wake`; ends (or skips) the wait for the next poll. */
  private woken = false;
  private endWait: (() => void) | null = null;
  private readonly settings: MailConfig['delivery'];
  private readonly ledger: GroupCommit<DeliveryOutcome>;
  /** Compiled mailings by id, reused by the batches of one mailing for a short while. */
  private readonly prepared = new Map<string, { version: number; until: number; mailing: PreparedMailing }>();

  constructor(
    private readonly metrics: MetricsService,
    private readonly deliveries: DeliveriesRepository,
    private readonly mailings: MailingsRepository,
    private readonly renderer: MailingRenderer,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(mailConfig.KEY) private readonly mailSettings: MailConfig,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {
    this.settings = mailSettings.delivery;
    // A worker sends its next message while its last outcome waits here, so a few milliseconds
    // gather the outcomes of the other connections into one write (fewer statements per message).
    this.ledger = new GroupCommit<DeliveryOutcome>(
      (outcomes) => this.deliveries.recordOutcomes(outcomes, this.instanceId),
      { ms: OUTCOME_LINGER_MS, upTo: this.mail.maxInFlight },
    );
  }

  onApplicationBootstrap(): void {
    if (!this.scheduler.enabled) return;
    this.logger.log(
      `Delivery processor ${this.instanceId} started (batch ${this.settings.batchSize}, ${this.mail.maxInFlight} in flight)`,
    );
    this.loop = this.run();
  }

  /** Stop claiming, let in-flight messages finish and record them, within a bounded wait. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.idle.abort();
    if (!this.loop) return;
    const finished = await finishesWithin(this.loop, this.settings.shutdownWaitMs);
    if (!finished)
      this.logger.warn(
        `Delivery processor did not finish within ${this.settings.shutdownWaitMs} ms; rows still claimed are reclaimed after the lease`,
      );
  }

  /**
   * The loop of a running server. While a mailing has more due rows than a batch, the next batch
   * is claimed and made ready while the last messages of the current one are with the relay, so
   * the connections do not wait for the database between batches. A batch claimed ahead is
   * checked again before it is sent: rows of a mailing stopped or cancelled meanwhile go back.
   */
  private async run(): Promise<void> {
    // Set from the send callback below, so kept in an object the compiler does not narrow.
    const next: { ahead: Promise<Batch | null> | null } = { ahead: null };
    while (!this.stopping) {
      let batch: Batch | null = null;
      try {
        this.woken = false;
        const claimedAhead = next.ahead !== null;
        batch = await (next.ahead ?? this.claimBatch());
        next.ahead = null;
        if (batch && claimedAhead) batch = await this.withoutStoppedMailings(batch);
        if (batch && batch.claimed.length > 0) {
          // Not under an hourly cap: a claim ahead would count the hour before this batch's last outcomes.
          const full = batch.claimed.length === batch.limit && this.mailSettings.ratePerHour === 0;
          // Handled at once: a failed claim ahead must not be an unhandled rejection while this batch is sent.
          const claimAhead = () =>
            (next.ahead = this.claimBatch().catch(
              (error: unknown) => (this.logger.error({ err: error }, 'Claiming the next delivery batch failed'), null),
            ));
          await this.sendBatch(batch, full ? claimAhead : undefined);
        }
        if (batch && batch.claimed.length < batch.limit) await this.afterShortClaim();
      } catch (error) {
        this.logger.error({ err: error }, 'Delivery batch failed');
      }
      if ((!batch || batch.claimed.length === 0) && !next.ahead && !this.stopping) await this.waitForPoll();
    }
    // Stopping: a batch claimed ahead is given back unsent.
    const left = next.ahead ? await next.ahead : null;
    if (left && left.outgoing.length > 0) {
      await this.deliveries
        .release(
          left.outgoing.map((item) => item.row.id),
          this.instanceId,
        )
        .catch((error: unknown) =>
          this.logger.error(
            { err: error },
            'Could not give back the batch claimed ahead; its rows are claimed again after the lease',
          ),
        );
    }
  }

  /** A mailing was just sent (its deliveries are due now): claim at once instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.endWait?.();
  }

  /** Waits MAILING_POLL_MS, or less when woken or stopping. */
  private async waitForPoll(): Promise<void> {
    if (this.woken || this.idle.signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idle.signal.removeEventListener('abort', done);
        this.endWait = null;
        resolve();
      };
      const timer = setTimeout(done, this.settings.pollMs);
      this.endWait = done;
      this.idle.signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Claims, checks, renders, sends and records one batch; returns how many rows it handled.
   * Calls within one instance run one after the other, so the messages in flight stay bounded
   * by the pool connections (see docs/mailings.md). For tests and tools; a server runs `run`.
   */
  processDueBatch(): Promise<number> {
    const next = this.current.catch(() => 0).then(() => this.processBatch());
    this.current = next;
    return next;
  }

  private async processBatch(): Promise<number> {
    const batch = await this.claimBatch();
    if (!batch) return 0;
    if (batch.claimed.length > 0) await this.sendBatch(batch);
    if (batch.claimed.length < batch.limit) await this.afterShortClaim();
    return batch.claimed.length;
  }

  /** Claims due rows and gets them ready to send: null when nothing may be claimed now. */
  private async claimBatch(): Promise<Batch | null> {
    if (this.stopping) return null;
    const started = Date.now();
    const now = this.clock.now();
    let limit = this.settings.batchSize;
    const ratePerHour = this.mailSettings.ratePerHour;
    // A cheap look first, so a spent budget costs no tokens and no transaction.
    if (ratePerHour > 0 && (await this.deliveries.sentSince(new Date(now.getTime() - 3600_000))) >= ratePerHour)
      return null;
    if (ratePerHour > 0) limit = Math.min(limit, ratePerHour);
    // A Message-ID and an unsubscribe token for every row the claim may get; the claim stores them.
    const tokens = generateTokens(limit);
    const fresh = {
      messageIds: tokens.map(() => this.mail.newMessageId()),
      tokenHashes: tokens.map((token) => token.hash),
    };
    const claimed =
      ratePerHour > 0
        ? await this.deliveries.claimWithinHourlyBudget(
            this.instanceId,
            limit,
            ratePerHour,
            now,
            this.settings.leaseSeconds,
            fresh,
          )
        : await this.deliveries.claim(this.instanceId, limit, now, this.settings.leaseSeconds, fresh);
    if (claimed === null) return null;
    if (claimed.length === 0) return { claimed, limit, outgoing: [], mailingIds: [], skipped: 0, started };
    const mailingIds = [...new Set(claimed.map((row) => row.mailing_id))];
    await this.mailings.markSending(mailingIds);
    const skipped = await this.deliveries.skipIneligible(
      claimed.map((row) => row.id),
      this.instanceId,
    );
    const outgoing = await this.plan(
      claimed.filter((row) => !skipped.has(row.id)),
      mailingIds,
      tokens.map((token) => token.token),
    );
    return { claimed, limit, outgoing, mailingIds, skipped: skipped.size, started };
  }

  /** A batch claimed ahead, minus the rows of mailings that were stopped or cancelled since. */
  private async withoutStoppedMailings(batch: Batch): Promise<Batch> {
    if (batch.outgoing.length === 0) return batch;
    const given = await this.deliveries.releaseOfStoppedMailings(
      batch.outgoing.map((item) => item.row.id),
      this.instanceId,
    );
    return given.size === 0 ? batch : { ...batch, outgoing: batch.outgoing.filter((item) => !given.has(item.row.id)) };
  }

  /** Sends a claimed batch, then counts it and checks its mailings' failure rate. */
  private async sendBatch(batch: Batch, onLastHandedOut?: () => void): Promise<void> {
    const { sent, failed, released } = await this.sendAll(batch.outgoing, onLastHandedOut);
    this.metrics.deliveries.inc({ outcome: 'sent' }, sent);
    this.metrics.deliveries.inc({ outcome: 'failed' }, failed);
    this.metrics.deliveries.inc({ outcome: 'skipped' }, batch.skipped);
    this.metrics.deliveries.inc({ outcome: 'requeued' }, batch.outgoing.length - sent - failed);

    for (const mailingId of batch.mailingIds) {
      if (
        await this.mailings.stopIfFailing(
          mailingId,
          this.settings.failureThreshold,
          this.settings.failureMinSample,
          this.clock.now(),
        )
      ) {
        this.logger.warn({ mailingId }, 'Mailing stopped: too many failed deliveries');
      }
    }
    this.logger.log(
      {
        instance: this.instanceId,
        claimed: batch.claimed.length,
        skipped: batch.skipped,
        sent,
        failed,
        released,
        ms: Date.now() - batch.started,
      },
      'Delivery batch done',
    );
  }

  /**
   * Fewer due rows than asked for: the queue is drained for now, so mailings may be complete.
   * (Checked here rather than after every batch: the check reads the mailing's queued rows.)
   */
  private async afterShortClaim(): Promise<void> {
    for (const mailingId of await this.mailings.completeFinished(this.clock.now()))
      this.logger.log({ mailingId }, 'Mailing sent');
  }

  /** The mailing compiled for rendering; reused for 30 s while it is unchanged (an edition's changes show after that). */
  private async prepare(mailingId: string): Promise<PreparedMailing | null> {
    const mailing = await this.mailings.findById(mailingId);
    if (!mailing) return null;
    const version = mailing.updatedAt.getTime();
    const cached = this.prepared.get(mailingId);
    if (cached && cached.version === version && cached.until > Date.now()) return cached.mailing;
    const prepared = await this.renderer.prepare(mailing);
    if (this.prepared.size >= 20) this.prepared.clear();
    this.prepared.set(mailingId, { version, until: Date.now() + 30_000, mailing: prepared });
    return prepared;
  }

  /**
   * Pairs each row with its mailing and unsubscribe link. The message itself is rendered by the
   * worker right before it is sent, so a batch's texts do not all live (and outlive a
   * young-generation GC) at once.
   */
  private async plan(rows: ClaimedDelivery[], mailingIds: string[], tokens: string[]): Promise<Outgoing[]> {
    const prepared = new Map<string, PreparedMailing | null>();
    for (const id of mailingIds) prepared.set(id, await this.prepare(id));
    return rows.map((row) => ({
      row,
      unsubscribeUrl: this.renderer.unsubscribeUrl(tokens[row.fresh]),
      mailing: prepared.get(row.mailing_id) ?? null,
    }));
  }

  /**
   * At most `maxInFlight` messages are with the SMTP server at once (one per pooled connection).
   * A worker sends its next message while the outcome of the previous one is being written, but
   * waits for that write before it hands over the next outcome: so a crash can leave at most two
   * messages per connection sent without a recorded outcome (see docs/mailings.md), and the
   * connection does not stand idle during each write.
   */
  private async sendAll(
    outgoing: Outgoing[],
    onLastHandedOut?: () => void,
  ): Promise<{ sent: number; failed: number; released: number }> {
    const queue = [...outgoing];
    const tally = { sent: 0, failed: 0, released: 0 };
    const take = () => {
      const item = queue.shift();
      if (queue.length === 0 && onLastHandedOut && !this.stopping) {
        onLastHandedOut();
        onLastHandedOut = undefined;
      }
      return item;
    };
    const worker = async () => {
      let recording: Promise<void> = Promise.resolve();
      for (let item = take(); item; item = take()) {
        if (this.stopping) {
          const rest = [item, ...queue.splice(0)];
          await this.deliveries.release(
            rest.map((entry) => entry.row.id),
            this.instanceId,
          );
          tally.released += rest.length;
          break;
        }
        const outcome = await this.attempt(item);
        await recording;
        recording = this.record(outcome, tally);
      }
      await recording;
    };
    await Promise.all(Array.from({ length: Math.max(1, this.mail.maxInFlight) }, worker));
    return tally;
  }

  /** Renders and sends one message; never throws, the outcome says what happened. */
  private async attempt(item: Outgoing): Promise<DeliveryOutcome> {
    const { row } = item;
    let message: RenderedMessage;
    try {
      if (!item.mailing) throw new Error('the mailing no longer exists');
      message = item.mailing.render(
        { email: row.email, name: row.name, locale: row.locale, manageUrl: row.manage_url },
        item.unsubscribeUrl,
      );
    } catch (error) {
      return {
        id: row.id,
        status: 'failed',
        reply: `Could not render the message: ${(error as Error).message}`,
        at: this.clock.now(),
      };
    }
    try {
      const { response } = await this.mail.send({
        to: { address: row.email, name: row.name ?? undefined },
        subject: message.subject,
        text: message.text,
        html: message.html,
        language: message.locale,
        unsubscribeUrl: item.unsubscribeUrl,
        messageId: row.message_id,
      });
      return { id: row.id, status: 'sent', reply: response, at: this.clock.now() };
    } catch (error) {
      const reply = describeMailError(error);
      const retryIn = retryDelayMs(error, row.attempts + 1, this.settings);
      if (retryIn === null)
        return { id: row.id, status: 'failed', reply, at: this.clock.now(), bounced: isHardBounce(error) };
      return { id: row.id, status: 'queued', reply, at: new Date(this.clock.now().getTime() + retryIn) };
    }
  }

  /**
   * A database error here must not be taken for a mail failure and retried at once: the row
   * stays 'sending' and is only reclaimed after the lease.
   */
  private async record(outcome: DeliveryOutcome, tally: { sent: number; failed: number }): Promise<void> {
    try {
      await this.ledger.record(outcome);
    } catch (error) {
      this.logger.error(
        { err: error, deliveryId: outcome.id },
        'The outcome of a delivery could not be recorded; the row is reclaimed after the lease',
      );
      return;
    }
    if (outcome.status === 'sent') tally.sent += 1;
    if (outcome.status === 'failed') tally.failed += 1;
  }
}
