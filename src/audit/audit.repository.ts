import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, EntityManager, FindOperator, FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
}

/** The head of an audit insert, for a statement that writes its entry with the change it describes (a CTE). */
export const AUDIT_INSERT =
  'INSERT INTO audit_log (actor_id, actor_email, action, entity_type, entity_id, before, after)';

/** An entry's columns as AuditService.entry builds them; the id and the time come from the database. */
export type AuditColumns = Omit<AuditEntry, 'id' | 'occurredAt'>;

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async insert(entry: AuditColumns, manager?: EntityManager): Promise<void> {
    await (manager ?? this.entries.manager).getRepository(AuditEntry).insert(entry);
  }

  /** Every entry about one record, column by column as the database holds it (a person's data export). */
  async recordsOf(entityType: string, entityId: string): Promise<Record<string, unknown>[]> {
    const rows = (await this.entries.query(
      `SELECT to_jsonb(l) AS record FROM audit_log l WHERE l.entity_type = $1 AND l.entity_id = $2 ORDER BY l.occurred_at`,
      [entityType, entityId],
    )) as Array<{ record: Record<string, unknown> }>;
    return rows.map((row) => row.record);
  }

  list(filter: AuditFilter, limit: number, offset: number): Promise<[AuditEntry[], number]> {
    // TypeORM refuses an undefined condition (it used to drop it), so only the filters given are named.
    const where: FindOptionsWhere<AuditEntry> = {};
    if (filter.entityType !== undefined) where.entityType = filter.entityType;
    if (filter.entityId !== undefined) where.entityId = filter.entityId;
    if (filter.actorId !== undefined) where.actorId = filter.actorId;
    if (filter.action !== undefined) where.action = filter.action;
    const occurredAt = timeRange(filter.from, filter.to);
    if (occurredAt) where.occurredAt = occurredAt;
    return this.entries.findAndCount({
      where,
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
  }
}

function timeRange(from?: Date, to?: Date): FindOperator<Date> | undefined {
  if (from && to) return And(MoreThanOrEqual(from), LessThan(to));
  if (from) return MoreThanOrEqual(from);
  if (to) return LessThan(to);
  return undefined;
}
