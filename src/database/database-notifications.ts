import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

const RECONNECT_MS = 2000;

/** What a feature does with one channel's notifications and with the state of the connection. */
export interface NotificationSubscriber {
  /** A notification on the channel, with its payload. */
  message(payload: string): void;
  /** The channel is listened to (again): whatever was notified while it was not is lost, so catch up. */
  connected(): void;
  /** The channel is no longer listened to, until `connected` is called again. */
  lost(): void;
}

/**
 * The instance's one listening connection to PostgreSQL (LISTEN/NOTIFY), shared by every channel:
 * `jobs` (wake-ups, src/jobs/job-wakeups.ts) and `users` (changes of staff users, see
 * src/users/auth-state-cache.ts). It opens at the first `listen`, so a process that listens to
 * nothing (a command) holds no such connection. When it is lost, every subscriber is told, and it
 * is opened again every RECONNECT_MS; once every channel is listened to again, every subscriber is
 * told it is connected.
 */
@Injectable()
export class DatabaseNotifications implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly subscribers = new Map<string, NotificationSubscriber[]>();
  /** The connection once every subscribed channel is listened to on it; null while connecting or lost. */
  private client: Client | null = null;
  private connecting: Client | null = null;
  private started = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  /** Subscribes to `channel`; `connected` is called once it is listened to (at once when the connection is up). */
  async listen(channel: string, subscriber: NotificationSubscriber): Promise<void> {
    if (this.stopped) return;
    const known = this.subscribers.has(channel);
    this.subscribers.set(channel, [...(this.subscribers.get(channel) ?? []), subscriber]);
    if (!this.started) {
      this.started = true;
      return this.connect();
    }
    const client = this.client;
    if (!client) return; // connecting or lost: `connected` follows once every channel is listened to
    try {
      if (!known) await client.query(`LISTEN ${quoted(channel)}`);
      if (this.client === client) subscriber.connected();
    } catch (error) {
      this.lost(client, error);
    }
  }

  /** Ends one subscription (the channel stays listened to; its notifications go nowhere). */
  unlisten(channel: string, subscriber: NotificationSubscriber): void {
    const rest = (this.subscribers.get(channel) ?? []).filter((each) => each !== subscriber);
    if (rest.length > 0) this.subscribers.set(channel, rest);
    else if (this.subscribers.has(channel)) this.subscribers.set(channel, []);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const clients = [this.client, this.connecting];
    this.client = null;
    this.connecting = null;
    for (const client of clients) await client?.end().catch(() => undefined);
  }

  private each(notify: (subscriber: NotificationSubscriber) => void): void {
    for (const subscribers of this.subscribers.values()) for (const subscriber of subscribers) notify(subscriber);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { url } = this.dataSource.options as PostgresDataSourceOptions;
    // keepAlive: a connection the network dropped without a word is noticed and opened again.
    const client = new Client({ connectionString: url, application_name: 'commemoration-api:listen', keepAlive: true });
    this.connecting = client;
    client.on('notification', (message) => {
      if (this.client !== client) return;
      for (const subscriber of this.subscribers.get(message.channel) ?? []) subscriber.message(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      const listened = new Set<string>();
      // A channel subscribed while this runs is listened to before the connection counts as up.
      for (let channel = next(this.subscribers, listened); channel; channel = next(this.subscribers, listened)) {
        await client.query(`LISTEN ${quoted(channel)}`);
        listened.add(channel);
      }
      if (this.stopped || this.connecting !== client) return void (await client.end().catch(() => undefined));
      this.connecting = null;
      this.client = client;
      this.each((subscriber) => subscriber.connected());
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.stopped) return;
    const wasUp = this.client === client;
    if (!wasUp && this.connecting !== client) return; // an earlier connection, already replaced
    this.client = null;
    this.connecting = null;
    void client.end().catch(() => undefined);
    if (wasUp) this.each((subscriber) => subscriber.lost());
    if (this.retry) return;
    this.logger.warn({ err: error }, `Notifications lost; listening again in ${RECONNECT_MS} ms`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}

function next(subscribers: Map<string, unknown>, listened: Set<string>): string | undefined {
  for (const channel of subscribers.keys()) if (!listened.has(channel)) return channel;
  return undefined;
}

/** A channel name as an SQL identifier (LISTEN takes no parameter). */
function quoted(channel: string): string {
  return `"${channel.replace(/"/g, '""')}"`;
}
