import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { authConfig, AuthConfig } from '../config/auth.config';
import { JobEntry, JobsRepository } from './jobs.repository';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * How features hand work to the background: `enqueue` in the transaction that decided it (the
 * job exists exactly when the change does, and its commit wakes the instances), or `entry` for a
 * statement that writes the job itself (see enqueueJobSql). The handler is declared with
 * @JobHandler(kind). A decided job is never lost to a crash or an outage, and none runs for a
 * change that rolled back.
 *
 * Payloads are sealed with AES-256-GCM under a key derived (HKDF) from JWT_SECRET: a mail holds
 * personal links (a booking's manage link, a volunteer's confirmation link) whose tokens are
 * otherwise stored only as hashes, so the database alone must not give them away.
 */
@Injectable()
export class Jobs {
  private readonly key: Buffer;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) auth: AuthConfig,
  ) {
    // The key of the mail outbox the queue grew from, so jobs written before still open.
    this.key = Buffer.from(hkdfSync('sha256', auth.jwtSecret, 'commemoration-api', 'mail-outbox v1', 32));
  }

  /** The row of a job, for a statement that writes it itself (e.g. a booking's one-statement fast path). */
  entry(kind: string, payload: object, runAt: Date = this.clock.now()): JobEntry {
    return { kind, payload: this.seal(payload), runAt };
  }

  /** Writes jobs of one kind: inside the caller's transaction when its manager is given, else on their own. */
  async enqueue(
    kind: string,
    payloads: readonly object[],
    options: { manager?: EntityManager; runAt?: Date } = {},
  ): Promise<void> {
    if (payloads.length === 0) return;
    await this.jobs.insert(
      payloads.map((payload) => this.entry(kind, payload, options.runAt)),
      options.manager,
    );
  }

  /** Jobs that failed for good before `before` (they keep only their error). */
  purgeFailed(before: Date, manager?: EntityManager): Promise<number> {
    return this.jobs.purgeFailed(before, manager);
  }

  seal(content: object): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the payload was sealed under another key (JWT_SECRET changed) or was altered. */
  open<T>(sealed: Buffer): T {
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
