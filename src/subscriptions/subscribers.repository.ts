import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { rowsOf } from '../database/sql-rows';
import { Subscriber, type SubscriberStatus } from './subscriber.entity';
import { SubscriptionRequest } from './subscription-request.entity';

@Injectable()
export class SubscribersRepository {
  constructor(@InjectRepository(Subscriber) private readonly subscribers: Repository<Subscriber>) {}

  private repo(manager?: EntityManager): Repository<Subscriber> {
    return manager ? manager.getRepository(Subscriber) : this.subscribers;
  }

  /** Locks the address's row, if any, so two sign-ups for one address are handled one after the other. */
  findByEmailForUpdate(email: string, manager: EntityManager): Promise<Subscriber | null> {
    return manager
      .getRepository(Subscriber)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.email = lower(:email)', { email })
      .getOne();
  }

  /** Returns false when the address already exists (unique key): the caller then treats it as known. */
  async insertPending(
    values: Pick<Subscriber, 'email' | 'name' | 'locale' | 'confirmTokenHash' | 'confirmSentAt' | 'expiresAt'>,
    manager: EntityManager,
  ): Promise<boolean> {
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

  /** Keeps a re-subscription's sealed name and language with the hash of the token mailed for them; the subscriber is not touched. */
  async addRequest(
    values: { subscriberId: string; tokenHash: string; sealed: Buffer; expiresAt: Date },
    manager: EntityManager,
  ): Promise<void> {
    await manager.getRepository(SubscriptionRequest).insert(values);
  }

  /** The waiting re-subscription of a token, unless it expired at `now`. */
  findLiveRequest(tokenHash: string, now: Date, manager?: EntityManager): Promise<SubscriptionRequest | null> {
    return (manager ?? this.subscribers.manager)
      .getRepository(SubscriptionRequest)
      .createQueryBuilder('r')
      .where('r.token_hash = :tokenHash AND r.expires_at >= :now', { tokenHash, now })
      .getOne();
  }

  lockById(id: string, manager: EntityManager): Promise<Subscriber | null> {
    return manager
      .getRepository(Subscriber)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id })
      .getOne();
  }

  /** Once the subscriber confirmed, no waiting re-subscription may change them. */
  async deleteRequests(subscriberId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM subscription_requests WHERE subscriber_id = $1`, [subscriberId]);
  }

  /** Marks the address unsubscribed (no-op when it is not a subscriber or already is). */
  async markUnsubscribed(email: string, now: Date, manager?: EntityManager): Promise<void> {
    await this.repo(manager).query(
      `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = now() WHERE email = lower($1) AND status <> 'unsubscribed'`,
      [email, now],
    );
  }

  /** Deletes re-subscriptions and pending subscriptions never confirmed in time; a pending one stays while a later link still works. */
  async deleteExpiredPending(now: Date): Promise<number> {
    return this.subscribers.manager.transaction(async (manager) => {
      await manager.query(`DELETE FROM subscription_requests WHERE expires_at < $1`, [now]);
      const rows = rowsOf(
        await manager.query(
          `DELETE FROM subscribers s WHERE s.status = 'pending' AND s.expires_at < $1
             AND NOT EXISTS (SELECT 1 FROM subscription_requests r WHERE r.subscriber_id = s.id) RETURNING 1`,
          [now],
        ),
      );
      return rows.length;
    });
  }

  /** Oldest first; `page` null for every row (CSV). */
  list(
    filter: { q?: string; status?: SubscriberStatus },
    page: { limit: number; offset: number } | null,
  ): Promise<[Subscriber[], number]> {
    const query = this.subscribers.createQueryBuilder('s');
    if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
    // The typed text is matched literally (no LIKE wildcards), in the email or the name, any case.
    if (filter.q)
      query.andWhere(`(strpos(s.email, lower(:q)) > 0 OR strpos(lower(coalesce(s.name, '')), lower(:q)) > 0)`, {
        q: filter.q,
      });
    query.orderBy('s.createdAt', 'ASC').addOrderBy('s.id', 'ASC');
    if (page) query.take(page.limit).skip(page.offset);
    return query.getManyAndCount();
  }

  /**
   * How many subscribers there are in each state: the sums of `subscriber_counts`, which triggers
   * on `subscribers` keep in the same transactions as the changes (migration SubscriberCounts), so
   * the figures are exact without counting every subscriber.
   */
  async countByStatus(): Promise<Record<string, number>> {
    const rows = (await this.subscribers.query(
      'SELECT status, sum(delta)::int AS count FROM subscriber_counts GROUP BY status',
    )) as Array<{ status: string; count: number }>;
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }

  /**
   * Folds the rows of `subscriber_counts` into one per state and returns how many rows were folded.
   * One statement: the rows it deletes are exactly the rows it sums, and rows that concurrent
   * changes append meanwhile are left for the next run, so the sums never change.
   */
  async compactCounts(): Promise<number> {
    const rows = (await this.subscribers.query(
      `WITH folded AS (DELETE FROM subscriber_counts RETURNING status, delta),
            kept AS (
              INSERT INTO subscriber_counts (status, delta)
              SELECT status, sum(delta) FROM folded GROUP BY status HAVING sum(delta) <> 0
            )
       SELECT count(*)::int AS folded FROM folded`,
    )) as Array<{ folded: number }>;
    return rows[0].folded;
  }
}
