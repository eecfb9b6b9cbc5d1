import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../common/database-errors';
import { Ceremony } from './ceremony.entity';

export type CeremonyValues = Pick<
  Ceremony,
  | 'year'
  | 'title'
  | 'date'
  | 'startTime'
  | 'timeZone'
  | 'venueName'
  | 'venueAddress'
  | 'venueLat'
  | 'venueLng'
  | 'description'
  | 'locales'
  | 'translations'
>;

@Injectable()
export class CeremoniesRepository {
  constructor(@InjectRepository(Ceremony) private readonly ceremonies: Repository<Ceremony>) {}

  private repo(manager?: EntityManager): Repository<Ceremony> {
    return manager ? manager.getRepository(Ceremony) : this.ceremonies;
  }

  findById(id: string, manager?: EntityManager): Promise<Ceremony | null> {
    return this.repo(manager).findOneBy({ id });
  }

  /**
   * The edition if it may be shown: published ones, drafts too when asked (staff). For the public a
   * draft is no row at all, exactly like a missing id, so neither the reply nor its time tells that
   * a draft exists (reading a found row took measurably longer than finding none).
   */
  findVisibleById(id: string, includeDrafts: boolean, manager?: EntityManager): Promise<Ceremony | null> {
    return this.repo(manager).findOneBy(includeDrafts ? { id } : { id, status: 'published' });
  }

  /** The edition a mailing or reminder speaks of: the one it names, else the next published one on or after today, else the latest. */
  async findSpokenOf(ceremonyId: string | null, today: string): Promise<Ceremony | null> {
    const rows = (await this.ceremonies.query(
      `SELECT id, title, date::text AS date, start_time AS "startTime", time_zone AS "timeZone", venue_name AS "venueName", venue_address AS "venueAddress", locales, translations
         FROM ceremonies
        WHERE ($1::uuid IS NOT NULL AND id = $1::uuid) OR ($1::uuid IS NULL AND status = 'published')
        ORDER BY (date >= $2::date) DESC, CASE WHEN date >= $2::date THEN date END ASC, date DESC
        LIMIT 1`,
      [ceremonyId, today],
    )) as Ceremony[];
    return rows[0] ?? null;
  }

  async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.ceremonies.query(`SELECT 1 FROM ceremonies WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** Reads the edition and holds its row until the transaction ends, so concurrent edits apply in turn. */
  findByYear(year: number, manager?: EntityManager): Promise<Ceremony | null> {
    return this.repo(manager).findOneBy({ year });
  }

  findByIdForUpdate(id: string, manager: EntityManager): Promise<Ceremony | null> {
    return manager
      .getRepository(Ceremony)
      .createQueryBuilder('ceremony')
      .setLock('pessimistic_write')
      .where('ceremony.id = :id', { id })
      .getOne();
  }

  /** The newest year that has an edition, drafts included; null when there is none. */
  async findLatestYear(): Promise<number | null> {
    const latest = await this.ceremonies.findOne({ select: { year: true }, where: {}, order: { year: 'DESC' } });
    return latest?.year ?? null;
  }

  /** Editions, newest year first; drafts only when asked. */
  list(includeDrafts: boolean, limit: number, offset: number): Promise<[Ceremony[], number]> {
    return this.ceremonies.findAndCount({
      where: includeDrafts ? {} : { status: 'published' },
      order: { year: 'DESC' },
      take: limit,
      skip: offset,
    });
  }

  /**
   * The next published edition whose date is today or later in its own time zone, else the
   * latest published one.
   */
  async findCurrent(now: Date): Promise<Ceremony | null> {
    const upcoming = await this.ceremonies
      .createQueryBuilder('ceremony')
      .where(`ceremony.status = 'published'`)
      .andWhere(`ceremony.date >= (CAST(:now AS timestamptz) AT TIME ZONE ceremony.time_zone)::date`, {
        now: now.toISOString(),
      })
      .orderBy('ceremony.date', 'ASC')
      .getOne();
    if (upcoming) return upcoming;
    return this.ceremonies.findOne({ where: { status: 'published' }, order: { date: 'DESC' } });
  }

  /** Returns null when the year already has an edition (unique key), so callers answer 409 without a race. */
  async insert(values: CeremonyValues, manager?: EntityManager): Promise<Ceremony | null> {
    const result = await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values(values)
      .orIgnore()
      .returning('id')
      .execute();
    const id = (result.raw as Array<{ id: string }>)[0]?.id;
    return id ? this.repo(manager).findOneByOrFail({ id }) : null;
  }

  /** Returns null when the edition is gone, false when the new year already has an edition. */
  async update(id: string, changes: Partial<CeremonyValues>, manager: EntityManager): Promise<Ceremony | null | false> {
    try {
      const result = await manager.getRepository(Ceremony).update({ id }, changes);
      if ((result.affected ?? 0) === 0) return null;
    } catch (error) {
      if (isUniqueViolation(error, 'ceremonies_year_key')) return false;
      throw error;
    }
    return manager.getRepository(Ceremony).findOneByOrFail({ id });
  }

  async setStatus(
    id: string,
    status: Ceremony['status'],
    publishedAt: Date | null,
    manager: EntityManager,
  ): Promise<Ceremony> {
    await manager.getRepository(Ceremony).update({ id }, { status, publishedAt });
    return manager.getRepository(Ceremony).findOneByOrFail({ id });
  }

  /** Marks the edition changed (updated_at) without changing its fields, e.g. after a program edit. */
  async touch(id: string, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE ceremonies SET updated_at = now() WHERE id = $1`, [id]);
  }

  /**
   * True when PostgreSQL knows the zone too (`current` compares dates in each edition's zone in
   * SQL). Runs outside any transaction: a refused zone is an error that would abort it.
   */
  async isKnownTimeZone(timeZone: string): Promise<boolean> {
    try {
      await this.ceremonies.query(`SELECT now() AT TIME ZONE $1`, [timeZone]);
      return true;
    } catch {
      return false;
    }
  }
}
