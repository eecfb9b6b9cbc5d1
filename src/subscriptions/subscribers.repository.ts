import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { rowsOf } from '../database/sql-rows';
import { Subscriber } from './subscriber.entity';

@Injectable()
export class SubscribersRepository {
  constructor(@InjectRepository(Subscriber) private readonly subscribers: Repository<Subscriber>) {}

  private repo(manager?: EntityManager): Repository<Subscriber> {
    return manager ? manager.getRepository(Subscriber) : this.subscribers;
  }

  /** Locks the address's row, if any, so two sign-ups for one address are handled one after the other. */
  findByEmailForUpdate(email: string, manager: EntityManager): Promise<Subscriber | null> {
    return manager.getRepository(Subscriber).createQueryBuilder('s').setLock('pessimistic_write').where('s.email = lower(:email)', { email }).getOne();
  }

  /** Returns false when the address already exists (unique key): the caller then treats it as known. */
  async insertPending(values: Pick<Subscriber, 'email' | 'name' | 'locale' | 'confirmTokenHash' | 'confirmSentAt' | 'expiresAt'>, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .getRepository(Subscriber)
      .createQueryBuilder()
      .insert()
      .values({ ...values, email: values.email.toLowerCase(), status: 'pending' })
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async update(id: string, changes: Partial<Subscriber>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, changes);
  }

  /**
   * The subscriber of a confirmation token if the token still works: not unsubscribed, and not a
   * sign-up expired at `now`. Anything else is no row, exactly like an unknown token, so the time of
   * the 404 does not tell that the address exists (reading a found row took measurably longer).
   */
  findLiveByConfirmTokenHash(hash: string, now: Date, manager?: EntityManager): Promise<Subscriber | null> {
    return this.repo(manager)
      .createQueryBuilder('s')
      .where('s.confirm_token_hash = :hash', { hash })
      .andWhere(`s.status <> 'unsubscribed'`)
      .andWhere('(s.expires_at IS NULL OR s.expires_at >= :now)', { now })
      .getOne();
  }

  /** Marks the address unsubscribed (no-op when it is not a subscriber or already is). */
  async markUnsubscribed(email: string, now: Date, manager?: EntityManager): Promise<void> {
    await this.repo(manager).query(`UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = now() WHERE email = lower($1) AND status <> 'unsubscribed'`, [email, now]);
  }

  /** Deletes pending subscriptions that were never confirmed in time. */
  async deleteExpiredPending(now: Date): Promise<number> {
    const rows = rowsOf(await this.subscribers.query(`DELETE FROM subscribers WHERE status = 'pending' AND expires_at < $1 RETURNING 1`, [now]));
    return rows.length;
  }

  /** How many subscribers there are in each state. */
  async countByStatus(): Promise<Record<string, number>> {
    const rows = (await this.subscribers.query('SELECT status, count(*)::int AS count FROM subscribers GROUP BY status')) as Array<{ status: string; count: number }>;
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }
}
