import { Injectable, OnModuleInit } from '@nestjs/common';
import { AudienceSource, AudienceSources, AudienceSpec, SqlParams } from '../mailings/audience-sources';

const ACTIVE = `('confirmed', 'waitlisted')`;

/**
 * Visitors with an active booking (confirmed or waitlisted) for one edition. Filters: `status`
 * (confirmed or waitlisted) and `slotId`. At send time a booking cancelled since is skipped.
 */
@Injectable()
export class VisitorsAudienceSource implements AudienceSource, OnModuleInit {
  readonly kind = 'visitors' as const;
  readonly sourceType = 'booking';
  readonly priority = 20;
  readonly ceremony = 'required' as const;
  readonly eligibleSql = `EXISTS (SELECT 1 FROM bookings b WHERE b.id = d.source_id::uuid AND b.status IN ${ACTIVE} AND b.erased_at IS NULL)`;

  constructor(private readonly sources: AudienceSources) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  select(audience: AudienceSpec, params: SqlParams): string {
    const filters = audience.filters ?? {};
    const conditions = [
      `s.ceremony_id = ${params.add(audience.ceremonyId)}::uuid`,
      `b.status IN ${ACTIVE}`,
      `b.erased_at IS NULL`,
    ];
    if (typeof filters.status === 'string') conditions.push(`b.status = ${params.add(filters.status)}`);
    if (typeof filters.slotId === 'string') conditions.push(`b.slot_id = ${params.add(filters.slotId)}::uuid`);
    return `SELECT b.email, b.name, b.locale, 'booking' AS source_type, b.id::text AS source_id, NULL::text AS manage_url
              FROM bookings b JOIN visit_slots s ON s.id = b.slot_id
             WHERE ${conditions.join(' AND ')}`;
  }

  validateFilters(filters: Record<string, unknown>): string[] {
    return Object.entries(filters).flatMap(([key, value]) => {
      if (key === 'status')
        return value === 'confirmed' || value === 'waitlisted'
          ? []
          : ['audience.filters.status must be confirmed or waitlisted'];
      if (key === 'slotId')
        return typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value)
          ? []
          : ['audience.filters.slotId must be a UUID'];
      return [`audience.filters.${key} is not known for visitors`];
    });
  }
}
