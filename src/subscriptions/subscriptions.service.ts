import { Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { generateToken, hashToken, isWellFormedToken } from '../common/tokens';
import { appConfig, AppConfig } from '../config/app.config';
import { commemorationConfig, CommemorationConfig, Locale } from '../config/commemoration.config';
import { schedulerConfig, SchedulerConfig } from '../config/scheduler.config';
import { TransactionService } from '../database/transaction.service';
import { MailOutbox } from '../mail/mail-outbox.service';
import { AudienceSources } from '../mailings/audience-sources';
import { SuppressionsRepository } from '../mailings/suppressions.repository';
import { CreateSubscriptionDto, SubscriptionAcceptedView, SubscriptionConfirmedView } from './dto/subscription.dto';
import { SubscribersAudienceSource } from './subscribers-audience.source';
import { SubscribersRepository } from './subscribers.repository';
import { confirmationMessage, confirmedPage, confirmPage } from './subscription-messages';

const ACCEPTED: SubscriptionAcceptedView = {
  status: 'accepted',
  message: 'If this address can receive mail, a confirmation link has been sent to it.',
};

@Injectable()
export class SubscriptionsService implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly subscribers: SubscribersRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly transactions: TransactionService,
    private readonly outbox: MailOutbox,
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
   * Double opt-in. The reply is the same whether the address is new, pending or confirmed, so it
   * reveals nothing; a confirmation mail goes out at most once per SIGNUP_RESEND_MINUTES.
   */
  async subscribe(dto: CreateSubscriptionDto): Promise<SubscriptionAcceptedView> {
    const email = dto.email.toLowerCase();
    const locale: Locale = dto.locale ?? this.commemoration.defaultLocale;
    this.metrics.signups.inc({ kind: 'subscriber', step: 'requested' });
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.scheduler.signupExpiryHours * 3600_000);
    const { token, hash } = generateToken();
    await this.transactions.run(async (manager) => {
      const existing = await this.subscribers.findByEmailForUpdate(email, manager);
      // Two first sign-ups at once: the unique key lets one insert; the other answers the same 202.
      const send = existing
        ? existing.status !== 'confirmed' && !this.throttled(existing.confirmSentAt, now)
        : await this.subscribers.insertPending({ email, name: dto.name ?? null, locale, confirmTokenHash: hash, confirmSentAt: now, expiresAt }, manager);
      if (!send) return;
      if (existing) {
        await this.subscribers.update(existing.id, { status: 'pending', name: dto.name ?? existing.name, locale: dto.locale ?? existing.locale, confirmTokenHash: hash, confirmSentAt: now, expiresAt }, manager);
      }
      // Through the outbox: the reply never waits for the relay, and the mail survives its outage.
      const message = confirmationMessage(locale, this.commemoration.name, `${this.app.publicBaseUrl}/subscriptions/confirm?token=${token}`, this.scheduler.signupExpiryHours);
      await this.outbox.enqueue([{ kind: 'subscription.confirm-request', to: { address: email, name: dto.name }, ...message, language: locale }], manager);
    });
    return ACCEPTED;
  }

  /** A confirmation mail went to this address less than SIGNUP_RESEND_MINUTES ago. */
  private throttled(lastSent: Date | null, now: Date): boolean {
    return lastSent !== null && now.getTime() - lastSent.getTime() < this.scheduler.signupResendMinutes * 60_000;
  }

  /** The page behind the emailed link, in the subscriber's language; unknown tokens are a 404. */
  async confirmationPage(token: string): Promise<string> {
    const subscriber = isWellFormedToken(token) ? await this.subscribers.findLiveByConfirmTokenHash(hashToken(token), this.clock.now()) : null;
    if (!subscriber) throw new NotFoundException('Not found');
    return confirmPage(subscriber.locale, this.commemoration.name, token);
  }

  /** The same confirmation, answered with a page for the form on that page. */
  async confirmFromPage(token: string): Promise<string> {
    await this.confirm(token);
    const subscriber = await this.subscribers.findLiveByConfirmTokenHash(hashToken(token), this.clock.now());
    return confirmedPage(subscriber?.locale ?? this.commemoration.defaultLocale, this.commemoration.name);
  }

  async confirm(token: string): Promise<SubscriptionConfirmedView> {
    const now = this.clock.now();
    await this.transactions.run(async (manager) => {
      const subscriber = isWellFormedToken(token) ? await this.subscribers.findLiveByConfirmTokenHash(hashToken(token), now, manager) : null;
      if (!subscriber) throw new NotFoundException('Not found');
      if (subscriber.status === 'confirmed') return;
      await this.subscribers.update(subscriber.id, { status: 'confirmed', confirmedAt: now, expiresAt: null, unsubscribedAt: null }, manager);
      this.metrics.signups.inc({ kind: 'subscriber', step: 'confirmed' });
      // Opting in again, by the emailed link, lifts an earlier unsubscribe of this address.
      await this.suppressions.liftUnsubscribe(subscriber.email, manager);
    });
    return { status: 'confirmed' };
  }

  /** Removes sign-ups never confirmed before they expired. */
  async purgeExpired(): Promise<number> {
    const started = Date.now();
    const removed = await this.subscribers.deleteExpiredPending(this.clock.now());
    this.logger.log({ removed, ms: Date.now() - started }, 'Expired subscription requests purged');
    return removed;
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'subscriptions.purge-expired' })
  async purgeExpiredJob(): Promise<void> {
    if (!this.scheduler.enabled) return;
    await this.purgeExpired();
  }
}
