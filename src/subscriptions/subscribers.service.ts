import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { CsvColumn, toCsv } from '../common/csv';
import { TransactionService } from '../database/transaction.service';
import { Tick } from '../jobs/job-handler.decorator';
import { AudienceSources } from '../mailings/audience-sources';
import { SuppressionsRepository } from '../mailings/suppressions.repository';
import { SubscriberPage, SubscriberQueryDto, SubscriberView } from './dto/subscriber.dto';
import { SubscribersRepository } from './subscribers.repository';

const COLUMNS: CsvColumn<SubscriberView>[] = [
  { header: 'email', value: (row) => row.email },
  { header: 'name', value: (row) => row.name },
  { header: 'locale', value: (row) => row.locale },
  { header: 'status', value: (row) => row.status },
  { header: 'created_at', value: (row) => row.createdAt },
  { header: 'confirmed_at', value: (row) => row.confirmedAt },
  { header: 'unsubscribed_at', value: (row) => row.unsubscribedAt },
];

/** What admins do with the reminder subscribers: look them up, export them, unsubscribe someone who asked by phone or letter. */
@Injectable()
export class SubscribersService {
  private readonly logger = new Logger(SubscribersService.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly sources: AudienceSources,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async listSubscribers(query: SubscriberQueryDto): Promise<SubscriberPage | string> {
    const csv = query.format === 'csv';
    const [rows, total] = await this.subscribers.list(
      { q: query.q, status: query.status },
      csv ? null : { limit: query.limit, offset: query.offset },
    );
    const items = rows.map(SubscriberView.of);
    if (csv) return toCsv(items, COLUMNS);
    const counts = await this.subscribers.countByStatus();
    return {
      items,
      total,
      counts: {
        pending: counts.pending ?? 0,
        confirmed: counts.confirmed ?? 0,
        unsubscribed: counts.unsubscribed ?? 0,
      },
    };
  }

  /**
   * Unsubscribes on the person's behalf, exactly as their own one-click unsubscribe does (the address
   * is suppressed for every bulk mail). Idempotent: a second call answers the same and records nothing.
   */
  async unsubscribeOnBehalf(actor: AuthUser, id: string): Promise<SubscriberView> {
    return this.transactions.run(async (manager) => {
      const before = await this.subscribers.lockById(id, manager);
      if (!before) throw new NotFoundException('Subscriber not found');
      if (before.status === 'unsubscribed') return SubscriberView.of(before);
      await this.suppressions.suppress(before.email, 'unsubscribed', `staff:${actor.id}`, manager);
      for (const source of this.sources.list()) await source.onUnsubscribed?.(before.email, manager);
      await this.subscribers.update(id, { status: 'unsubscribed', unsubscribedAt: this.clock.now() }, manager);
      const after = (await this.subscribers.lockById(id, manager))!;
      await this.audit.record(
        {
          actor,
          action: 'subscriber.unsubscribe',
          entityType: 'subscriber',
          entityId: id,
          before: SubscriberView.of(before),
          after: SubscriberView.of(after),
        },
        manager,
      );
      return SubscriberView.of(after);
    });
  }

  /** Folds the per-statement rows of the subscriber counts into one per state. Every 10 minutes. */
  @Tick('subscribers.compact-counts', '*/10 * * * *')
  async compactCounts(): Promise<number> {
    const started = Date.now();
    const folded = await this.subscribers.compactCounts();
    this.logger.debug({ folded, durationMs: Date.now() - started }, 'Subscriber counts compacted');
    return folded;
  }
}
