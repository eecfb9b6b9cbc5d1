import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseNotifications, NotificationSubscriber } from '../database/database-notifications';

/** The channel every instance listens on; the payload names the queue (`jobs`, `deliveries`). */
const CHANNEL = 'jobs';

/**
 * Wake-ups across instances: a transaction that writes work NOTIFYs (the `jobs` table's trigger
 * does it for every insert; other queues call `notify`), PostgreSQL delivers it to every listening
 * instance when the transaction commits and never when it rolls back, and each wakes its runner.
 * The instance's one listening connection (DatabaseNotifications) carries them; while it is down,
 * the runners' polling covers, and once it is back every runner is woken.
 */
@Injectable()
export class JobWakeups {
  private subscriber?: NotificationSubscriber;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
  ) {}

  /** Tells every instance that `queue` has work: at the commit of the caller's transaction when a manager is given. */
  async notify(queue: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(`SELECT pg_notify($1, $2)`, [CHANNEL, queue]);
  }

  async listen(onWake: (queue: string) => void): Promise<void> {
    this.subscriber = {
      message: (queue) => onWake(queue),
      // Whatever was announced while no connection listened is due now.
      connected: () => onWake('*'),
      lost: () => undefined,
    };
    await this.notifications.listen(CHANNEL, this.subscriber);
  }

  /** Stops waking this instance's runners (the connection itself closes with the application). */
  stop(): Promise<void> {
    if (this.subscriber) this.notifications.unlisten(CHANNEL, this.subscriber);
    this.subscriber = undefined;
    return Promise.resolve();
  }
}
