import { BadRequestException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { Page } from '../common/pagination';
import { AuditEntry } from './audit-entry.entity';
import { AuditColumns, AuditFilter, AuditRepository } from './audit.repository';
import type { AuditQueryDto } from './dto/audit-query.dto';

/** Fields never copied into the audit log. */
const SECRET_FIELDS = new Set(['passwordHash', 'password', 'tokenHash', 'manageTokenHash', 'confirmTokenHash']);

export interface AuditRecord {
  actor: AuthUser | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: object | null;
  after?: object | null;
}

function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) => (SECRET_FIELDS.has(key) ? undefined : inner)),
  ) as Record<string, unknown>;
}

/**
 * Who changed what, when, with the record before and after. Callers pass their transaction's
 * manager so the entry is written (or rolled back) together with the change it describes.
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  record(record: AuditRecord, manager?: EntityManager): Promise<void> {
    return this.audit.insert(this.entry(record), manager);
  }

  /** The columns of an entry, for a repository that writes it in the very statement of the change (AUDIT_INSERT). */
  entry(record: AuditRecord): AuditColumns {
    return {
      actorId: record.actor?.id ?? null,
      actorEmail: record.actor?.email ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      before: snapshot(record.before),
      after: snapshot(record.after),
    };
  }

  /** The audit log as admins filter it: by actor, entity, action and a time range [from, to). */
  listLog(query: AuditQueryDto): Promise<Page<AuditEntry>> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && to.getTime() < from.getTime()) throw new BadRequestException(['to must not be before from']);
    return this.list(
      {
        entityType: query.entityType,
        entityId: query.entityId,
        actorId: query.actorId,
        action: query.action,
        from,
        to,
      },
      query.limit,
      query.offset,
    );
  }

  async list(filter: AuditFilter, limit: number, offset: number): Promise<Page<AuditEntry>> {
    const [items, total] = await this.audit.list(filter, limit, offset);
    return { items, total };
  }
}
