import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addressKey, RateLimits } from '../common/rate-limit.service';
import { JobContext, JobHandler, JobResult } from '../jobs/job-handler.decorator';
import { JobEntry } from '../jobs/jobs.repository';
import { Jobs } from '../jobs/jobs.service';
import { PermanentJobError } from '../jobs/retry-policy';
import { classifyMailError, describeMailError, MailService } from './mail.service';
import type { OutgoingMail } from './mail.types';

/** The job kind of a transactional mail. */
export const SEND_MAIL = 'mail.send';

/** Marks mails an organizer's change caused: the per-recipient bound of public-triggered mail does not apply. */
export function staffTriggered(mails: ReadonlyArray<OutgoingMail | null>): Array<OutgoingMail | null> {
  return mails.map((mail) => mail && { ...mail, triggeredBy: 'staff' });
}

/**
 * Transactional mail: a feature writes its messages here in the transaction that decided them,
 * and each is sent as a job of its own (`mail.send`) once it commits, temporary SMTP failures
 * retried. A decided message is never lost to a crash or an outage, and none is sent for a change
 * that rolled back.
 */
@Injectable()
export class MailQueue {
  private readonly logger = new Logger(MailQueue.name);

  constructor(
    private readonly jobs: Jobs,
    private readonly mail: MailService,
    private readonly limits: RateLimits,
  ) {}

  /** Writes the messages: inside the caller's transaction when its manager is given (sent once it commits), else at once. */
  async enqueue(mails: ReadonlyArray<OutgoingMail | null>, manager?: EntityManager): Promise<void> {
    const messages = mails.filter((mail): mail is OutgoingMail => mail !== null);
    await this.jobs.enqueue(SEND_MAIL, messages, { manager });
  }

  /** The job of a message, for a statement that writes it itself (a booking's one-statement fast path). */
  entry(mail: OutgoingMail): JobEntry {
    return this.jobs.entry(SEND_MAIL, mail);
  }

  /**
   * Sends one message. A mail the public can cause spends one of its recipient's hourly sends
   * (key: SHA-256 of the address) on its first attempt, so a retry after an SMTP failure is free;
   * over the bound it is dropped, told to nobody: the request that caused it was answered as usual.
   */
  @JobHandler(SEND_MAIL)
  async send(mail: OutgoingMail, job: JobContext): Promise<JobResult> {
    if (job.attempts === 1 && mail.triggeredBy !== 'staff' && typeof mail.to?.address === 'string') {
      if (!(await this.withinBound(addressKey(mail.to.address)))) {
        this.logger.warn(
          { jobId: job.id, mail: mail.kind },
          'Mail dropped: its recipient reached MAIL_RECIPIENT_HOURLY_LIMIT',
        );
        return { dropped: 'recipient over its hourly bound' };
      }
    }
    try {
      await this.mail.send(mail);
    } catch (error) {
      const reply = describeMailError(error);
      if (classifyMailError(error) === 'permanent') throw new PermanentJobError(reply, { cause: error });
      throw new Error(reply, { cause: error });
    }
  }

  /** Spends one send of the recipient (the jobs that ask in the same turn are counted in one statement). */
  private async withinBound(key: string): Promise<boolean> {
    return (await this.limits.consume('mail-recipient', key)).allowed;
  }
}
