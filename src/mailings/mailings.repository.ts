import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Mailing, MailingStatus } from './mailing.entity';
import { rowsOf } from '../database/sql-rows';

export type MailingCounts = {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  cancelled: number;
};

@Injectable()
export class MailingsRepository {
  constructor(@InjectRepository(Mailing) private readonly mailings: Repository<Mailing>) {}

  private repo(manager?: EntityManager): Repository<Mailing> {
    return manager ? manager.getRepository(Mailing) : this.mailings;
  }

  insert(values: Partial<Mailing>, manager?: EntityManager): Promise<Mailing> {
    return this.repo(manager).save(this.repo(manager).create(values));
  }

  findById(id: string, manager?: EntityManager): Promise<Mailing | null> {
    return this.repo(manager).findOneBy({ id });
  }

  /** Locks the mailing row for a state change (send, cancel) so two requests cannot both act. */
  findForUpdate(id: string, manager: EntityManager): Promise<Mailing | null> {
    return manager
      .getRepository(Mailing)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.id = :id', { id })
      .getOne();
  }

  async update(id: string, changes: Partial<Mailing>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, changes as Parameters<Repository<Mailing>['update']>[1]);
  }

  list(limit: number, offset: number): Promise<[Mailing[], number]> {
    return this.mailings.findAndCount({ order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }

  async counts(ids: string[]): Promise<Map<string, MailingCounts>> {
    const rows: Array<{ mailing_id: string; status: string; count: number }> = ids.length
      ? await this.mailings.query(
          `SELECT mailing_id, status, count(*)::int AS count FROM deliveries WHERE mailing_id = ANY($1::uuid[]) GROUP BY mailing_id, status`,
          [ids],
        )
      : [];
    const result = new Map<string, MailingCounts>();
    for (const id of ids)
      result.set(id, { total: 0, queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0 });
    for (const row of rows) {
      const counts = result.get(row.mailing_id)!;
      counts[row.status as keyof MailingCounts] = row.count;
      counts.total += row.count;
    }
    return result;
  }

  /** Messages sent in the last minute and the average per minute since the first one. */
  async rate(id: string): Promise<{ lastMinute: number; perMinute: number }> {
    const [row] = (await this.mailings.query(
      `SELECT count(*) FILTER (WHERE sent_at > now() - interval '1 minute')::int AS last_minute,
              count(sent_at)::int AS sent, extract(epoch FROM max(sent_at) - min(sent_at))::float AS seconds
         FROM deliveries WHERE mailing_id = $1 AND sent_at IS NOT NULL`,
      [id],
    )) as Array<{ last_minute: number; sent: number; seconds: number | null }>;
    const perMinute = row.sent > 1 && row.seconds ? Math.round((row.sent / row.seconds) * 60 * 10) / 10 : row.sent;
    return { lastMinute: row.last_minute, perMinute };
  }

  /** Marks scheduled mailings whose deliveries started as sending. */
  async markSending(ids: string[]): Promise<void> {
    if (ids.length)
      await this.mailings.query(
        `UPDATE mailings SET status = 'sending', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
        [ids],
      );
  }

  /** Marks as sent the live mailings that have nothing left queued or in flight; returns their ids. */
  async completeFinished(now: Date): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await this.mailings.query(
        `UPDATE mailings m SET status = 'sent', completed_at = $1, updated_at = now()
        WHERE m.status IN ('scheduled', 'sending')
          AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.mailing_id = m.id AND d.status IN ('queued', 'sending'))
        RETURNING m.id`,
        [now],
      ),
    );
    return rows.map((row) => row.id);
  }

  /**
   * Stops a mailing whose share of failures passed the threshold after a minimum sample.
   * Its cost follows the failures, not the size of the mailing: sent rows are counted only up to
   * the number that would keep the share at or under the threshold, so the check can run after
   * every batch of a 100,000-recipient mailing.
   */
  async stopIfFailing(id: string, threshold: number, minSample: number, now: Date): Promise<boolean> {
    const rows = rowsOf(
      await this.mailings.query(
        `WITH failed AS (SELECT count(*)::float AS n FROM deliveries WHERE mailing_id = $1 AND status = 'failed'),
            sent AS (SELECT count(*)::float AS n FROM (
              SELECT 1 FROM deliveries WHERE mailing_id = $1 AND status = 'sent'
               LIMIT CASE WHEN $2::float8 > 0 THEN greatest(ceil((SELECT n FROM failed) / $2::float8), $3::int) + 1 END) AS s),
            outcome AS (SELECT failed.n AS failed, failed.n + sent.n AS attempted FROM failed, sent)
       UPDATE mailings m SET status = 'stopped', completed_at = $4, updated_at = now(),
              stopped_reason = format('%s of %s attempted deliveries failed (threshold %s%%)', outcome.failed, outcome.attempted, round(($2 * 100)::numeric, 1))
         FROM outcome
        WHERE m.id = $1 AND m.status IN ('scheduled', 'sending') AND outcome.failed > 0 AND outcome.attempted >= $3 AND outcome.failed / outcome.attempted > $2
        RETURNING m.id`,
        [id, threshold, minSample, now],
      ),
    );
    return rows.length > 0;
  }

  findByStatus(status: MailingStatus): Promise<Mailing[]> {
    return this.mailings.findBy({ status });
  }
}
