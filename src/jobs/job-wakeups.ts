import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

/** The channel every instance listens on; the payload names the queue (`jobs`, `deliveries`). */
const CHANNEL = 'jobs';
const RECONNECT_MS = 2000;

/**
 * Wake-ups across instances: a transaction that writes work NOTIFYs (the `jobs` table's trigger
 * does it for every insert; other queues call `notify`), PostgreSQL delivers it to every listening
 * instance when the transaction commits and never when it rolls back, and each wakes its runner.
 * One connection per instance listens; while it is down, the runners' polling covers.
 */
@Injectable()
export class JobWakeups {
  private readonly logger = new Logger(JobWakeups.name);
  private client: Client | null = null;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private onWake: (queue: string) => void = () => undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** Tells every instance that `queue` has work: at the commit of the caller's transaction when a manager is given. */
  async notify(queue: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(`SELECT pg_notify($1, $2)`, [CHANNEL, queue]);
  }

  async listen(onWake: (queue: string) => void): Promise<void> {
    this.onWake = onWake;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { url } = this.dataSource.options as PostgresDataSourceOptions;
    const client = new Client({ connectionString: url, application_name: 'commemoration-api:wake-ups' });
    client.on('notification', (message) => this.onWake(message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.stopped) return void (await client.end());
      this.client = client;
      // Whatever was announced while no connection listened is due now.
      this.onWake('*');
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.stopped || (this.client !== null && this.client !== client)) return;
    if (this.client === client) this.client = null;
    void client.end().catch(() => undefined);
    if (this.retry) return;
    this.logger.warn({ err: error }, `Wake-ups lost; listening again in ${RECONNECT_MS} ms (polling meanwhile)`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
