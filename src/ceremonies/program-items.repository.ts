import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ProgramItem } from './program-item.entity';

export type ProgramItemValues = Pick<
  ProgramItem,
  'startTime' | 'endTime' | 'title' | 'speaker' | 'description' | 'translations'
>;

/** Program order: start, then end (open-ended last), then creation. */
const PROGRAM_ORDER = {
  startTime: 'ASC',
  endTime: { direction: 'ASC', nulls: 'LAST' },
  createdAt: 'ASC',
  id: 'ASC',
} as const;

@Injectable()
export class ProgramItemsRepository {
  constructor(@InjectRepository(ProgramItem) private readonly items: Repository<ProgramItem>) {}

  private repo(manager?: EntityManager): Repository<ProgramItem> {
    return manager ? manager.getRepository(ProgramItem) : this.items;
  }

  listForCeremony(ceremonyId: string, limit: number, offset: number): Promise<[ProgramItem[], number]> {
    return this.items.findAndCount({ where: { ceremonyId }, order: PROGRAM_ORDER, take: limit, skip: offset });
  }

  /** The whole program, in order (an edition has a few dozen items at most). */
  allForCeremony(ceremonyId: string, manager?: EntityManager): Promise<ProgramItem[]> {
    return this.repo(manager).find({ where: { ceremonyId }, order: PROGRAM_ORDER });
  }

  findInCeremony(ceremonyId: string, itemId: string, manager?: EntityManager): Promise<ProgramItem | null> {
    return this.repo(manager).findOneBy({ id: itemId, ceremonyId });
  }

  async insert(ceremonyId: string, values: ProgramItemValues, manager: EntityManager): Promise<ProgramItem> {
    const result = await manager
      .getRepository(ProgramItem)
      .createQueryBuilder()
      .insert()
      .values({ ...values, ceremonyId })
      .returning('id')
      .execute();
    const id = (result.raw as Array<{ id: string }>)[0].id;
    return manager.getRepository(ProgramItem).findOneByOrFail({ id });
  }

  async update(itemId: string, changes: Partial<ProgramItemValues>, manager: EntityManager): Promise<ProgramItem> {
    await manager.getRepository(ProgramItem).update({ id: itemId }, changes);
    return manager.getRepository(ProgramItem).findOneByOrFail({ id: itemId });
  }

  async delete(itemId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(ProgramItem).delete({ id: itemId });
  }

  /**
   * Copies a program into another edition in one statement; local times stay as they are, and
   * creation times are fresh but keep the source's tie-break order.
   */
  async copyProgram(fromCeremonyId: string, toCeremonyId: string, manager: EntityManager): Promise<number> {
    const rows: unknown = await manager.query(
      `INSERT INTO program_items (ceremony_id, start_time, end_time, title, speaker, description, translations, created_at)
       SELECT $2, start_time, end_time, title, speaker, description, translations,
              now() + (row_number() OVER (ORDER BY start_time, end_time NULLS LAST, created_at, id)) * interval '1 microsecond'
         FROM program_items WHERE ceremony_id = $1
       RETURNING id`,
      [fromCeremonyId, toCeremonyId],
    );
    return Array.isArray(rows) ? rows.length : 0;
  }
}
