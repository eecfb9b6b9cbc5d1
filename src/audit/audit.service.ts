import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { Page } from '../common/pagination';
import { AuditEntry } from './audit-entry.entity';
import { AuditFilter, AuditRepository } from './audit.repository';

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
  return JSON.parse(JSON.stringify(value, (key, inner: unknown) => (SECRET_FIELDS.has(key) ? undefined : inner))) as Record<string, unknown>;
}

/**
 * Who changed what, when, with the record before and after. Callers pass their transaction's
 * manager so the entry is written (or rolled back) together with the change it describes.
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  record(record: AuditRecord, manager?: EntityManager): Promise<void> {
    return this.audit.insert(
      {
        actorId: record.actor?.id ?? null,
        actorEmail: record.actor?.email ?? null,
        action: record.action,
        entityType: record.entityType,
        entityId: record.entityId ?? null,
        before: snapshot(record.before),
        after: snapshot(record.after),
      },
      manager,
    );
  }

  async list(filter: AuditFilter, limit: number, offset: number): Promise<Page<AuditEntry>> {
    const [items, total] = await this.audit.list(filter, limit, offset);
    return { items, total };
  }
}
