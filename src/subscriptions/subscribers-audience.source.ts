import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AudienceSource, AudienceSpec, SqlParams } from '../mailings/audience-sources';
import { SubscribersRepository } from './subscribers.repository';

/** Confirmed subscribers: an audience for mailings and the annual reminders (no edition, no filters). */
@Injectable()
export class SubscribersAudienceSource implements AudienceSource {
  readonly kind = 'subscribers' as const;
  readonly sourceType = 'subscriber';
  readonly priority = 30;
  readonly ceremony = 'none' as const;
  readonly eligibleSql = `EXISTS (SELECT 1 FROM subscribers s WHERE s.id = d.source_id::uuid AND s.status = 'confirmed')`;

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly clock: Clock,
  ) {}

  select(_audience: AudienceSpec, _params: SqlParams): string {
    return `SELECT s.email, s.name, s.locale, 'subscriber' AS source_type, s.id::text AS source_id, NULL::text AS manage_url FROM subscribers s WHERE s.status = 'confirmed'`;
  }

  validateFilters(filters: Record<string, unknown>): string[] {
    return Object.keys(filters).map((key) => `audience.filters.${key} is not known for subscribers`);
  }

  onUnsubscribed(email: string, manager: EntityManager): Promise<void> {
    return this.subscribers.markUnsubscribed(email, this.clock.now(), manager);
  }
}
