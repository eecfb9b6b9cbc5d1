import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async insert(entry: Omit<AuditEntry, 'id' | 'occurredAt'>, manager?: EntityManager): Promise<void> {
    await (manager ?? this.entries.manager).getRepository(AuditEntry).insert(entry);
  }

  list(filter: AuditFilter, limit: number, offset: number): Promise<[AuditEntry[], number]> {
    return this.entries.findAndCount({
      where: { entityType: filter.entityType, entityId: filter.entityId, actorId: filter.actorId, action: filter.action },
      order: { occurredAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
  }
}
