import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { generateTokens } from '../common/tokens';
import { mailConfig, MailConfig } from '../config/mail.config';
import { JobsInstance } from '../jobs/jobs-instance';
import { BatchReport, ClaimedBatch, QueueDefinition, QueueRunner, QueueSettings } from '../jobs/queue-runner';
import { retryDelay } from '../jobs/retry-policy';
import { Workers } from '../jobs/workers';
import { classifyMailError, describeMailError, MailService } from '../mail/mail.service';
import { MetricsService } from '../metrics/metrics.service';
import { isHardBounce } from './bounces';
import { ClaimedDelivery, DeliveriesRepository, DeliveryOutcome } from './deliveries.repository';
import { MailingRenderer, PreparedMailing } from './mailing-renderer';
import { RenderedMessage } from './mailing-templates';
import { MailingsRepository } from './mailings.repository';

/** The queue's name in wake-ups (see JobWakeups). */
export const DELIVERIES_QUEUE = 'deliveries';

/** A claimed row ready to go: its Message-ID and unsubscribe token were stored by the claim. */
interface Outgoing {
  row: ClaimedDelivery;
  unsubscribeUrl: string;
  mailing: PreparedMailing | null;
}

/** How long an outcome waits for others before the ledger write starts (see GroupCommit). */
const OUTCOME_LINGER_MS = 3;

/**
 * The mailings' per-recipient ledger (`deliveries`) as a queue on the common runner. It keeps its
 * own table and claim: the claim stores each row's Message-ID and unsubscribe token, an hourly cap
 * (SMTP_RATE_PER_HOUR) is reserved in the claim for all instances together, rows no longer
 * eligible are skipped at claim, and a mailing with too many failures stops. Every row moves
 * queued -> sending -> sent/failed/skipped (or back to queued for a retry) only while this
 * instance holds it. See docs/mailings.md.
 */
@Injectable()
export class DeliveriesQueue implements QueueDefinition<Outgoing, DeliveryOutcome> {
  private readonly logger = new Logger(DeliveriesQueue.name);
  readonly name = DELIVERIES_QUEUE;
  // A worker sends its next message while its last outcome waits for the ledger, so the few
  // milliseconds of linger gather the outcomes of the other connections into one write.
  readonly recordBeforeNext = false;
  readonly linger: { ms: number; upTo: number };
  readonly settings: QueueSettings;
  readonly runner: QueueRunner<Outgoing, DeliveryOutcome>;
  private readonly delivery: MailConfig['delivery'];
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
    instance: JobsInstance,
    workers: Workers,
  ) {
    this.delivery = mailSettings.delivery;
    const concurrency = Math.max(1, mail.maxInFlight);
    this.settings = {
      batchSize: this.delivery.batchSize,
      concurrency,
      pollMs: this.delivery.pollMs,
      shutdownWaitMs: this.delivery.shutdownWaitMs,
    };
    this.linger = { ms: OUTCOME_LINGER_MS, upTo: concurrency };
    this.runner = new QueueRunner(this, instance.id);
    workers.register(this.runner);
  }

  /** Not under an hourly cap: a claim ahead would count the hour before this batch's last outcomes. */
  mayClaimAhead(): boolean {
    return this.mailSettings.ratePerHour === 0;
  }

  /** Claims due rows and gets them ready to send: null when nothing may be claimed now. */
  async claim(instanceId: string, batchSize: number): Promise<ClaimedBatch<Outgoing> | null> {
    const now = this.clock.now();
    const { leaseSeconds } = this.delivery;
    const ratePerHour = this.mailSettings.ratePerHour;
    // A cheap look first, so a spent budget costs no tokens and no transaction.
    if (ratePerHour > 0 && (await this.deliveries.sentSince(new Date(now.getTime() - 3600_000))) >= ratePerHour)
      return null;
    const limit = ratePerHour > 0 ? Math.min(batchSize, ratePerHour) : batchSize;
    // A Message-ID and an unsubscribe token for every row the claim may get; the claim stores them.
    const tokens = generateTokens(limit);
    const fresh = {
      messageIds: tokens.map(() => this.mail.newMessageId()),
      tokenHashes: tokens.map((token) => token.hash),
    };
    const claimed =
      ratePerHour > 0
        ? await this.deliveries.claimWithinHourlyBudget(instanceId, limit, ratePerHour, now, leaseSeconds, fresh)
        : await this.deliveries.claim(instanceId, limit, now, leaseSeconds, fresh);
    if (claimed === null) return null;
    if (claimed.length === 0) return { claimed: 0, limit, items: [] };
    const mailingIds = [...new Set(claimed.map((row) => row.mailing_id))];
    await this.mailings.markSending(mailingIds);
    const skipped = await this.deliveries.skipIneligible(
      claimed.map((row) => row.id),
      instanceId,
    );
    this.metrics.deliveries.inc({ outcome: 'skipped' }, skipped.size);
    const items = await this.plan(
      claimed.filter((row) => !skipped.has(row.id)),
      mailingIds,
      tokens.map((token) => token.token),
    );
    return { claimed: claimed.length, limit, items };
  }

  /** A batch claimed ahead, minus the rows of mailings that were stopped or cancelled since. */
  async recheck(items: Outgoing[], instanceId: string): Promise<Outgoing[]> {
    if (items.length === 0) return items;
    const given = await this.deliveries.releaseOfStoppedMailings(
      items.map((item) => item.row.id),
      instanceId,
    );
    return given.size === 0 ? items : items.filter((item) => !given.has(item.row.id));
  }

  /** Renders and sends one message; never throws, the outcome says what happened. */
  async run(item: Outgoing): Promise<DeliveryOutcome> {
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
      const retryIn = retryDelay(row.attempts, this.retrySettings(), classifyMailError(error) === 'permanent');
      if (retryIn === null)
        return { id: row.id, status: 'failed', reply, at: this.clock.now(), bounced: isHardBounce(error) };
      return { id: row.id, status: 'queued', reply, at: new Date(this.clock.now().getTime() + retryIn) };
    }
  }

  record(outcomes: DeliveryOutcome[], instanceId: string): Promise<void> {
    return this.deliveries.recordOutcomes(outcomes, instanceId);
  }

  release(items: Outgoing[], instanceId: string): Promise<void> {
    return this.deliveries.release(
      items.map((item) => item.row.id),
      instanceId,
    );
  }

  async hasDue(): Promise<boolean> {
    return this.deliveries.hasDue(this.clock.now());
  }

  /** Counts the batch and checks its mailings' failure rate. */
  async afterBatch({ batch, recorded, released, ms }: BatchReport<Outgoing, DeliveryOutcome>): Promise<void> {
    const sent = recorded.filter((outcome) => outcome.status === 'sent').length;
    const failed = recorded.filter((outcome) => outcome.status === 'failed').length;
    this.metrics.deliveries.inc({ outcome: 'sent' }, sent);
    this.metrics.deliveries.inc({ outcome: 'failed' }, failed);
    this.metrics.deliveries.inc({ outcome: 'requeued' }, batch.items.length - sent - failed);
    const mailingIds = [...new Set(batch.items.map((item) => item.row.mailing_id))];
    for (const mailingId of mailingIds) {
      const { failureThreshold, failureMinSample } = this.delivery;
      if (await this.mailings.stopIfFailing(mailingId, failureThreshold, failureMinSample, this.clock.now()))
        this.logger.warn({ mailingId }, 'Mailing stopped: too many failed deliveries');
    }
    this.logger.log(
      { claimed: batch.claimed, skipped: batch.claimed - batch.items.length, sent, failed, released, ms },
      'Delivery batch done',
    );
  }

  /**
   * Fewer due rows than asked for: the queue is drained for now, so mailings may be complete.
   * (Checked here rather than after every batch: the check reads the mailing's queued rows.)
   */
  async afterDrained(): Promise<void> {
    for (const mailingId of await this.mailings.completeFinished(this.clock.now()))
      this.logger.log({ mailingId }, 'Mailing sent');
  }

  private retrySettings() {
    const { maxAttempts, retryBaseMs, retryMaxMs } = this.delivery;
    return { maxAttempts, baseMs: retryBaseMs, maxMs: retryMaxMs };
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
}
