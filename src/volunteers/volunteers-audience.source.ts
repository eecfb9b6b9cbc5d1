import { Injectable, OnModuleInit } from '@nestjs/common';
import { AudienceSource, AudienceSources, AudienceSpec, SqlParams } from '../mailings/audience-sources';

/**
 * Confirmed volunteers of one edition. Filters: `roleId` (people holding or waiting for that role).
 * Annual reminders reach only those who consented to reminders at sign-up. At send time a volunteer
 * who withdrew or was erased since is skipped.
 */
@Injectable()
export class VolunteersAudienceSource implements AudienceSource, OnModuleInit {
  readonly kind = 'volunteers' as const;
  readonly sourceType = 'volunteer';
  readonly priority = 10;
  readonly ceremony = 'required' as const;
  readonly eligibleSql = `EXISTS (SELECT 1 FROM volunteers v WHERE v.id = d.source_id::uuid AND v.status = 'confirmed' AND v.email IS NOT NULL)`;

  constructor(private readonly sources: AudienceSources) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  select(audience: AudienceSpec, params: SqlParams): string {
    const filters = audience.filters ?? {};
    const conditions = [
      `v.ceremony_id = ${params.add(audience.ceremonyId)}::uuid`,
      `v.status = 'confirmed'`,
      'v.email IS NOT NULL',
    ];
    if (audience.purpose === 'reminder') conditions.push('v.consent_reminders');
    if (typeof filters.roleId === 'string') {
      conditions.push(
        `EXISTS (SELECT 1 FROM volunteer_assignments a WHERE a.volunteer_id = v.id AND a.role_id = ${params.add(filters.roleId)}::uuid)`,
      );
    }
    return `SELECT v.email, v.name, v.locale, 'volunteer' AS source_type, v.id::text AS source_id, NULL::text AS manage_url
              FROM volunteers v
             WHERE ${conditions.join(' AND ')}`;
  }

  validateFilters(filters: Record<string, unknown>): string[] {
    return Object.entries(filters).flatMap(([key, value]) => {
      if (key === 'roleId')
        return typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value)
          ? []
          : ['audience.filters.roleId must be a UUID'];
      return [`audience.filters.${key} is not known for volunteers`];
    });
  }
}
