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

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async insert(entry: Omit<AuditEntry, 'id' | 'occurredAt'>, manager?: EntityManager): Promise<void> {
    await (manager ?? this.entries.manager).getRepository(AuditEntry).insert(entry);
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
