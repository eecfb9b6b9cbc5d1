import { Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { generateToken, hashToken, isWellFormedToken } from '../common/tokens';
import { appConfig, AppConfig } from '../config/app.config';
import { isLocale } from '../common/i18n';
import { commemorationConfig, CommemorationConfig, Locale } from '../config/commemoration.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { TransactionService } from '../database/transaction.service';
import { JobHandler, Tick } from '../jobs/job-handler.decorator';
import { Jobs } from '../jobs/jobs.service';
import { MailQueue } from '../mail/mail-queue.service';
import { AudienceSources } from '../mailings/audience-sources';
import { SuppressionsRepository } from '../mailings/suppressions.repository';
import { CreateSubscriptionDto, SubscriptionAcceptedView, SubscriptionConfirmedView } from './dto/subscription.dto';
import { SubscribersAudienceSource } from './subscribers-audience.source';
import type { Subscriber } from './subscriber.entity';
import { SubscribersRepository } from './subscribers.repository';
import { confirmationMessage, confirmedPage, confirmPage } from './subscription-messages';

const ACCEPTED: SubscriptionAcceptedView = {
  status: 'accepted',
  message: 'If this address can receive mail, a confirmation link has been sent to it.',
};

/** The job kind of a subscription request, decided after the answer. */
const SUBSCRIPTION_REQUEST = 'subscription.request';

interface SubscriptionRequest {
  /** Lower-cased. */
  email: string;
  name: string | null;
  locale: Locale | null;
  /** ISO time of the request: the resend window and the expiry count from it. */
  requestedAt: string;
}

/** What a re-subscription asks for, kept sealed with its own link until the owner of the address confirms it. */
interface RequestedDetails {
  name: string | null;
  locale: Locale | null;
}

@Injectable()
export class SubscriptionsService implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly subscribers: SubscribersRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly transactions: TransactionService,
    private readonly mail: MailQueue,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly sources: AudienceSources,
    private readonly audienceSource: SubscribersAudienceSource,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
    @Inject(schedulerConfig.KEY) private readonly scheduler: SchedulerConfig,
  ) {}

  onModuleInit(): void {
    this.sources.register(this.audienceSource);
  }

  /**
   * Double opt-in. The reply is the same whether the address is new, pending or confirmed, and so
   * is the work behind it: the request is written as one sealed job and decided after the
   * answer (`decide`), so neither the reply nor its time tells whether the address is known. A
   * confirmation mail goes out at most once per SIGNUP_RESEND_MINUTES.
   */
  async subscribe(dto: CreateSubscriptionDto): Promise<SubscriptionAcceptedView> {
    this.metrics.signups.inc({ kind: 'subscriber', step: 'requested' });
    await this.jobs.enqueue(SUBSCRIPTION_REQUEST, [this.requestOf(dto)]);
    return ACCEPTED;
  }

  /**
   * The same double opt-in, decided at once: for an organizer's import (import:subscribers), where
   * the time of the answer tells nobody anything and the command should finish what it started.
   */
  async subscribeNow(dto: CreateSubscriptionDto): Promise<void> {
    this.metrics.signups.inc({ kind: 'subscriber', step: 'requested' });
    await this.decide(this.requestOf(dto));
  }

  private requestOf(dto: CreateSubscriptionDto): SubscriptionRequest {
    return {
      email: dto.email.toLowerCase(),
      name: dto.name ?? null,
      locale: dto.locale ?? null,
      requestedAt: this.clock.now().toISOString(),
    };
  }

  /**
   * Takes a subscription request (as a job): a new address becomes a pending
   * subscriber; a pending or unsubscribed one gets a link of its own for the name and language of
   * this request, which change nothing stored until that link is confirmed (`confirm`), unless a
   * link went out within SIGNUP_RESEND_MINUTES; a confirmed one nothing. Times count from the
   * request. Run again after a crash, it finds the subscriber its first run wrote, inside the
   * resend window, and sends nothing more.
   */
  @JobHandler(SUBSCRIPTION_REQUEST)
  async decide(request: SubscriptionRequest): Promise<void> {
    const { email } = request;
    const locale: Locale = request.locale ?? this.commemoration.defaultLocale;
    const now = new Date(request.requestedAt);
    const expiresAt = new Date(now.getTime() + this.scheduler.signupExpiryHours * 3600_000);
    const { token, hash } = generateToken();
    await this.transactions.run(async (manager) => {
      const existing = await this.subscribers.findByEmailForUpdate(email, manager);
      // Two first sign-ups at once: the unique key lets one insert; the other sends nothing.
      const send = existing
        ? existing.status !== 'confirmed' && !this.throttled(existing.confirmSentAt, now)
        : await this.subscribers.insertPending(
            { email, name: request.name, locale, confirmTokenHash: hash, confirmSentAt: now, expiresAt },
            manager,
          );
      if (!send) return;
      if (existing) {
        // Anyone may type the address: the details wait with their own link, and only its owner applies them.
        const details: RequestedDetails = {
          name: request.name ?? existing.name,
          locale: request.locale ?? existing.locale,
        };
        await this.subscribers.addRequest(
          { subscriberId: existing.id, tokenHash: hash, sealed: this.jobs.seal(details), expiresAt },
          manager,
        );
        await this.subscribers.update(existing.id, { confirmSentAt: now }, manager);
      }
      // Through the mail queue: the mail survives a relay outage.
      const message = confirmationMessage(
        locale,
        this.commemoration.names[locale],
        `${this.app.publicBaseUrl}/subscriptions/confirm?token=${token}`,
        this.scheduler.signupExpiryHours,
      );
      await this.mail.enqueue(
        [
          {
            kind: 'subscription.confirm-request',
            to: { address: email, name: request.name ?? undefined },
            ...message,
            language: locale,
          },
        ],
        manager,
      );
    });
  }

  /** A confirmation mail went to this address less than SIGNUP_RESEND_MINUTES ago. */
  private throttled(lastSent: Date | null, now: Date): boolean {
    return lastSent !== null && now.getTime() - lastSent.getTime() < this.scheduler.signupResendMinutes * 60_000;
  }

  /** The page behind the emailed link, in the language the link asks for, else the request's; unknown tokens are a 404. */
  async confirmationPage(token: string, requested?: string): Promise<string> {
    const stored = isWellFormedToken(token) ? await this.localeOfLink(hashToken(token)) : null;
    if (!stored) throw new NotFoundException('Not found');
    const locale = isLocale(requested) ? requested : stored;
    return confirmPage(locale, this.commemoration.names[locale], token);
  }

  private async localeOfLink(tokenHash: string): Promise<Locale | null> {
    const now = this.clock.now();
    const subscriber = await this.subscribers.findLiveByConfirmTokenHash(tokenHash, now);
    if (subscriber) return subscriber.locale;
    const request = await this.subscribers.findLiveRequest(tokenHash, now);
    return request
      ? (this.jobs.open<RequestedDetails>(request.sealed).locale ?? this.commemoration.defaultLocale)
      : null;
  }

  /** The same confirmation, answered with a page for the form on that page. */
  async confirmFromPage(token: string, requested?: string): Promise<string> {
    await this.confirm(token);
    const subscriber = isLocale(requested)
      ? null
      : await this.subscribers.findLiveByConfirmTokenHash(hashToken(token), this.clock.now());
    const locale = isLocale(requested) ? requested : (subscriber?.locale ?? this.commemoration.defaultLocale);
    return confirmedPage(locale, this.commemoration.names[locale]);
  }

  /**
   * Idempotent. A link mailed for a re-subscription confirms exactly the name and language it was
   * sent for. Every link works until it expires; the first one confirmed wins and the others stop
   * working.
   */
  async confirm(token: string): Promise<SubscriptionConfirmedView> {
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      const tokenHash = isWellFormedToken(token) ? hashToken(token) : null;
      const subscriber =
        tokenHash &&
        ((await this.subscribers.findLiveByConfirmTokenHash(tokenHash, now, manager)) ??
          (await this.applyRequest(tokenHash, now, manager)));
      if (!subscriber) throw new NotFoundException('Not found');
      if (subscriber.status === 'confirmed') return;
      await this.subscribers.update(
        subscriber.id,
        { status: 'confirmed', confirmedAt: now, expiresAt: null, unsubscribedAt: null },
        manager,
      );
      await this.subscribers.deleteRequests(subscriber.id, manager);
      this.metrics.signups.inc({ kind: 'subscriber', step: 'confirmed' });
      // Opting in again, by the emailed link, lifts an earlier unsubscribe of this address.
      await this.suppressions.liftUnsubscribe(subscriber.email, manager);
    });
    return { status: 'confirmed' };
  }

  /** The owner confirmed the link of a re-subscription: its name and language replace the stored ones, and its token becomes the subscriber's. */
  private async applyRequest(tokenHash: string, now: Date, manager: EntityManager): Promise<Subscriber | null> {
    const request = await this.subscribers.findLiveRequest(tokenHash, now, manager);
    const subscriber = request && (await this.subscribers.lockById(request.subscriberId, manager));
    // Confirmed by another link meanwhile: this one is a miss like any other.
    if (!request || !subscriber || subscriber.status === 'confirmed') return null;
    const details = this.jobs.open<RequestedDetails>(request.sealed);
    await this.subscribers.update(
      subscriber.id,
      { name: details.name, locale: details.locale ?? subscriber.locale, confirmTokenHash: tokenHash },
      manager,
    );
    return {
      ...subscriber,
      name: details.name,
      locale: details.locale ?? subscriber.locale,
      confirmTokenHash: tokenHash,
    };
  }

  /** Removes sign-ups never confirmed before they expired. Hourly. */
  @Tick('subscriptions.purge-expired', '0 * * * *')
  async purgeExpired(now: Date = this.clock.now()): Promise<number> {
    const started = Date.now();
    const removed = await this.subscribers.deleteExpiredPending(now);
    this.logger.log({ removed, ms: Date.now() - started }, 'Expired subscription requests purged');
    return removed;
  }
}
