import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Ceremony } from '../ceremonies/ceremony.entity';
import { ReminderRule } from './reminder-rule.entity';
import { ReminderRun } from './reminder-run.entity';
import { ReminderTemplate } from './reminder-template.entity';

@Injectable()
export class RemindersRepository {
  constructor(
    @InjectRepository(ReminderRule) private readonly rules: Repository<ReminderRule>,
    @InjectRepository(ReminderRun) private readonly runs: Repository<ReminderRun>,
    @InjectRepository(ReminderTemplate) private readonly templates: Repository<ReminderTemplate>,
  ) {}

  listRules(manager?: EntityManager): Promise<ReminderRule[]> {
    return (manager ?? this.rules.manager)
      .getRepository(ReminderRule)
      .find({ order: { offsetDays: 'DESC', sendTime: 'ASC', name: 'ASC' } });
  }

  findEnabledRules(): Promise<ReminderRule[]> {
    return this.rules.find({ where: { enabled: true }, order: { offsetDays: 'DESC' } });
  }

  async deleteRulesExcept(keepIds: string[], manager: EntityManager): Promise<void> {
    const query = manager.getRepository(ReminderRule).createQueryBuilder().delete();
    await (keepIds.length > 0 ? query.where('id NOT IN (:...keepIds)', { keepIds }) : query).execute();
  }

  async saveRule(rule: Partial<ReminderRule>, manager: EntityManager): Promise<ReminderRule> {
    return manager.getRepository(ReminderRule).save(manager.getRepository(ReminderRule).create(rule));
  }

  listTemplates(): Promise<ReminderTemplate[]> {
    return this.templates.find({ order: { key: 'ASC' } });
  }

  findTemplate(key: string, manager?: EntityManager): Promise<ReminderTemplate | null> {
    return (manager ?? this.templates.manager).getRepository(ReminderTemplate).findOneBy({ key });
  }

  async saveTemplate(key: string, content: ReminderTemplate['content']): Promise<ReminderTemplate> {
    await this.templates.upsert({ key, content }, ['key']);
    return this.templates.findOneByOrFail({ key });
  }

  async existingTemplateKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.templates.find({ where: { key: In(keys) }, select: { key: true } });
    return new Set(found.map((template) => template.key));
  }

  /** Published editions whose date is on or after `sinceDate` (YYYY-MM-DD): the ones a reminder can still be about. */
  publishedEditionsSince(sinceDate: string): Promise<Ceremony[]> {
    return this.rules.manager
      .getRepository(Ceremony)
      .createQueryBuilder('c')
      .where("c.status = 'published'")
      .andWhere('c.date >= :sinceDate', { sinceDate })
      .orderBy('c.date', 'ASC')
      .getMany();
  }

  editionsOfYear(year: number): Promise<Ceremony[]> {
    return this.rules.manager.getRepository(Ceremony).find({ where: { year } });
  }

  runsFor(ceremonyIds: string[]): Promise<ReminderRun[]> {
    if (ceremonyIds.length === 0) return Promise.resolve([]);
    return this.runs.find({ where: { ceremonyId: In(ceremonyIds) } });
  }

  /**
   * Records the run unless one exists for (rule, edition). ON CONFLICT DO NOTHING: a second
   * instance or an overlapping tick waits on the unique key, then gets nothing back and stops.
   */
  async insertRunOnce(
    run: Pick<ReminderRun, 'ruleId' | 'ceremonyId' | 'year' | 'dueAt' | 'status' | 'firedAt' | 'recordedBy'>,
    manager: EntityManager,
  ): Promise<string | null> {
    const result = await manager
      .getRepository(ReminderRun)
      .createQueryBuilder()
      .insert()
      .values(run)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as Array<{ id: string }>)[0]?.id ?? null;
  }

  async attachMailing(runId: string, mailingId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(ReminderRun).update({ id: runId }, { mailingId });
  }
}
