import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { Clock } from '../common/clock';
import { authConfig, AuthConfig } from '../config/auth.config';
import { MailOutboxRepository, OutboxEntry } from './mail-outbox.repository';
import { OutgoingMail } from './mail.types';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Marks mails an organizer's change caused: the per-recipient bound of public-triggered mail does not apply. */
export function staffTriggered(mails: ReadonlyArray<OutgoingMail | null>): Array<OutgoingMail | null> {
  return mails.map((mail) => mail && { ...mail, triggeredBy: 'staff' });
}

/** Marks a transaction that wrote outbox rows, so the processor is woken once it commits. */
const PENDING = 'mailOutboxPending';

/**
 * Transactional mail: a feature writes its messages here in the transaction that decided them
 * (`enqueue` with the transaction's manager), and MailOutboxProcessor sends them once it commits,
 * retrying temporary failures. A message that was decided is never lost to a crash or an SMTP
 * outage, and none is sent for a change that rolled back.
 *
 * Messages are sealed with AES-256-GCM under a key derived (HKDF) from JWT_SECRET: they hold
 * personal links (a booking's manage link, a volunteer's confirmation link) whose tokens are
 * otherwise stored only as hashes, so the database alone must not give them away.
 */
@Injectable()
export class MailOutbox implements EntitySubscriberInterface {
  private readonly key: Buffer;
  private readonly listeners = new Set<() => void>();
  private readonly tasks = new Map<string, (payload: unknown) => Promise<void>>();

  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) auth: AuthConfig,
    dataSource: DataSource,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', auth.jwtSecret, 'commemoration-api', 'mail-outbox v1', 32));
    dataSource.subscribers.push(this);
  }

  /** The row for a message, for a statement that writes it itself (e.g. a booking's one-statement fast path). */
  entry(mail: OutgoingMail): OutboxEntry {
    return { kind: mail.kind ?? 'mail', sealed: this.seal(mail), dueAt: this.clock.now() };
  }

  /**
   * Writes the messages: inside the caller's transaction when its manager is given (they are sent
   * once it commits), else on their own and sent at once.
   */
  async enqueue(mails: ReadonlyArray<OutgoingMail | null>, manager?: EntityManager): Promise<void> {
    const entries = mails.filter((mail): mail is OutgoingMail => mail !== null).map((mail) => this.entry(mail));
    if (entries.length === 0) return;
    await this.outbox.insert(entries, manager);
    const runner = manager?.queryRunner;
    if (runner?.isTransactionActive) runner.data = { ...runner.data, [PENDING]: true };
    else this.wake();
  }

  /**
   * Registers what a deferred request of `kind` does (see `defer`). The handler runs in the
   * processor, after commit, with the retries of mail; it must be idempotent, since a request whose
   * outcome was not recorded before a crash runs again after the lease.
   */
  handle<T>(kind: string, handler: (payload: T) => Promise<void>): void {
    this.tasks.set(kind, handler as (payload: unknown) => Promise<void>);
  }

  /** The handler of a deferred request kind; undefined for a message. */
  handlerOf(kind: string): ((payload: unknown) => Promise<void>) | undefined {
    return this.tasks.get(kind);
  }

  /**
   * Writes a request to be decided after the answer: a public route that must answer alike
   * whatever it would find (a sign-up for an address that may be known) does the same work for
   * every request, one sealed row, and the processor takes the decision and writes its mail.
   */
  async defer(kind: string, payload: object): Promise<void> {
    if (!this.tasks.has(kind)) throw new Error(`No handler for deferred requests of kind ${kind}`);
    await this.outbox.insert([{ kind, sealed: this.seal(payload), dueAt: this.clock.now() }]);
    this.wake();
  }

  /** Tells the processor that messages are waiting (after the statement or transaction that wrote them). */
  wake(): void {
    for (const listener of this.listeners) listener();
  }

  onWake(listener: () => void): void {
    this.listeners.add(listener);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    // A released savepoint is not the end of the transaction.
    if (runner.isTransactionActive || !runner.data?.[PENDING]) return;
    delete runner.data[PENDING];
    this.wake();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data?.[PENDING];
  }

  seal(content: OutgoingMail | object): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the content was sealed under another key (JWT_SECRET changed) or was altered. */
  open<T = OutgoingMail>(sealed: Buffer): T {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const json = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
    return JSON.parse(json, (_key, value: unknown) => {
      // Attachment contents given as Buffers come back as Buffers.
      const buffer = value as { type?: unknown; data?: unknown } | null;
      return buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data)
        ? Buffer.from(buffer.data as number[])
        : value;
    }) as T;
  }
}
