import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { pickLocale } from '../common/i18n';
import { resolveField } from '../common/localized-text';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import type { JobContext, JobResult } from '../jobs/job-handler.decorator';
import { Jobs } from '../jobs/jobs.service';
import { MailQueue } from '../mail/mail-queue.service';
import type { OutgoingMail } from '../mail/mail.types';
import { MailShift, renderVolunteerMail, VolunteerMailKind } from './volunteer-mail-texts';

export interface VolunteerMailRecipient {
  name: string | null;
  email: string | null;
  locale: string | null;
}

/**
 * Composes volunteer mails in the person's language and writes them to the mail queue in the
 * transaction that decided them; they are sent once it commits, with retries. A sign-up's job
 * sends its confirm-request itself (`send`), after its decision. Sending never holds up the reply
 * (so a new and a known address answer alike).
 */
@Injectable()
export class VolunteerMailer {
  constructor(
    private readonly mail: MailQueue,
    private readonly jobs: Jobs,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {}

  compose(
    kind: VolunteerMailKind,
    recipient: VolunteerMailRecipient,
    ceremony: Pick<Ceremony, 'title' | 'translations' | 'locales' | 'date' | 'timeZone'>,
    shifts: { assigned: MailShift[]; waitlisted?: MailShift[] },
    extra: { link?: string; expiresAt?: Date; details?: { phone: string | null; consentReminders: boolean } } = {},
  ): OutgoingMail | null {
    if (!recipient.email) return null;
    const locale = pickLocale(recipient.locale, ceremony.locales, this.commemoration.defaultLocale);
    const inLanguage = (shift: MailShift): MailShift => ({
      ...shift,
      name: resolveField(shift.name, shift.translations, 'name', locale, ceremony.locales),
    });
    const { subject, text, html } = renderVolunteerMail({
      kind,
      locale,
      name: recipient.name ?? '',
      edition: {
        title: resolveField(ceremony.title, ceremony.translations, 'title', locale, ceremony.locales),
        date: ceremony.date,
        timeZone: ceremony.timeZone,
      },
      assigned: shifts.assigned.map(inLanguage),
      waitlisted: (shifts.waitlisted ?? []).map(inLanguage),
      link: extra.link,
      expiresAt: extra.expiresAt,
      details: extra.details,
    });
    return {
      kind: `volunteer.${kind}`,
      to: { name: recipient.name ?? undefined, address: recipient.email },
      subject,
      text,
      html,
      language: locale,
      headers: { 'X-Entity-Ref-ID': `volunteer-${kind}` },
    };
  }

  /** Seals the details of a sign-up request as jobs are sealed: the database alone does not give them away. */
  seal(details: object): Buffer {
    return this.jobs.seal(details);
  }

  open<T>(sealed: Buffer): T {
    return this.jobs.open<T>(sealed);
  }

  /**
   * Sends one message now, as a job of the caller's that composed it (a sign-up's): the mail
   * queue's send, with its per-recipient bound on the job's first attempt; a failure throws so
   * that the job is retried.
   */
  send(mail: OutgoingMail, job: JobContext): Promise<JobResult> {
    return this.mail.send(mail, job);
  }

  /** In the transaction that decided the mails: they are sent once it commits (see MailQueue). */
  async enqueue(mails: ReadonlyArray<OutgoingMail | null>, manager: EntityManager): Promise<void> {
    await this.mail.enqueue(mails, manager);
  }
}
