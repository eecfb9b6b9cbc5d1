import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { isLocale } from '../common/i18n';
import { isWellFormedToken, hashToken } from '../common/tokens';
import { commemorationConfig, CommemorationConfig, Locale } from '../config/commemoration.config';
import { TransactionService } from '../database/transaction.service';
import { AudienceSources } from './audience-sources';
import { DeliveriesRepository } from './deliveries.repository';
import type { Delivery } from './delivery.entity';
import { SuppressionsRepository } from './suppressions.repository';
import { unsubscribeConfirmPage, unsubscribedPage } from './unsubscribe-page';

/** One-click unsubscribe (RFC 8058) from any bulk message, by the token of its delivery. */
@Injectable()
export class UnsubscribeService {
  private readonly logger = new Logger(UnsubscribeService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly sources: AudienceSources,
    private readonly transactions: TransactionService,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {}

  private async findDelivery(token: string): Promise<Delivery> {
    const delivery = isWellFormedToken(token) ? await this.deliveries.findByTokenHash(hashToken(token)) : null;
    if (!delivery) throw new NotFoundException('Not found');
    return delivery;
  }

  /** The language the link asks for (`?lang=` added to every mailed link), else the recipient's. */
  private localeOf(delivery: Delivery, requested?: string): Locale {
    if (isLocale(requested)) return requested;
    return isLocale(delivery.locale) ? delivery.locale : this.commemoration.defaultLocale;
  }

  async confirmPage(token: string, requested?: string): Promise<string> {
    const delivery = await this.findDelivery(token);
    const locale = this.localeOf(delivery, requested);
    return unsubscribeConfirmPage(locale, delivery.email, this.commemoration.names[locale]);
  }

  /** Idempotent: the suppression is keyed by address, and each source's update is a no-op the second time. */
  async unsubscribe(token: string, requested?: string): Promise<string> {
    const delivery = await this.findDelivery(token);
    await this.transactions.run(async (manager) => {
      await this.suppressions.suppress(delivery.email, 'unsubscribed', `mailing:${delivery.mailingId}`, manager);
      for (const source of this.sources.list()) await source.onUnsubscribed?.(delivery.email, manager);
    });
    this.logger.log({ mailingId: delivery.mailingId, deliveryId: delivery.id }, 'Recipient unsubscribed');
    const locale = this.localeOf(delivery, requested);
    return unsubscribedPage(locale, delivery.email, this.commemoration.names[locale]);
  }
}
