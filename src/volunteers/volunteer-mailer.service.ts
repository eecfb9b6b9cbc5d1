import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { pickLocale } from '../common/i18n';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import { MailService } from '../mail/mail.service';
import type { OutgoingMail } from '../mail/mail.types';
import { MailShift, renderVolunteerMail, VolunteerMailKind } from './volunteer-mail-texts';

export interface VolunteerMailRecipient {
  name: string | null;
  email: string | null;
  locale: string | null;
}

/**
 * Composes volunteer mails in the person's language and sends them after the transaction that
 * decided them has committed. Sending does not hold up the reply (so a new and a known address
 * answer alike); failures are logged, never thrown at the person.
 */
@Injectable()
export class VolunteerMailer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VolunteerMailer.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly mail: MailService,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {}

  compose(
    kind: VolunteerMailKind,
    recipient: VolunteerMailRecipient,
    ceremony: Ceremony,
    shifts: { assigned: MailShift[]; waitlisted?: MailShift[] },
    extra: { link?: string; expiresAt?: Date } = {},
  ): OutgoingMail | null {
    if (!recipient.email) return null;
    const locale = pickLocale(recipient.locale, ceremony.locales, this.commemoration.defaultLocale);
    const { subject, text } = renderVolunteerMail({
      kind,
      locale,
      name: recipient.name ?? '',
      edition: { title: ceremony.title, date: ceremony.date, timeZone: ceremony.timeZone },
      assigned: shifts.assigned,
      waitlisted: shifts.waitlisted ?? [],
      link: extra.link,
      expiresAt: extra.expiresAt,
    });
    return { to: { name: recipient.name ?? undefined, address: recipient.email }, subject, text, language: locale, headers: { 'X-Entity-Ref-ID': `volunteer-${kind}` } };
  }

  /** Call only after commit. */
  sendAfterCommit(mails: ReadonlyArray<OutgoingMail | null>): void {
    for (const mail of mails) {
      if (!mail) continue;
      const sending = this.mail
        .send(mail)
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error, kind: mail.headers?.['X-Entity-Ref-ID'] }, 'A volunteer mail could not be sent'))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  /** Resolves when every mail handed over so far has been sent or has failed (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}
