import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { pickLocale } from '../common/i18n';
import { appConfig, AppConfig } from '../config/app.config';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import { MailService } from '../mail/mail.service';
import type { Booking } from './booking.entity';
import { buildVisitMail, VisitMailKind } from './visit-mail';
import type { VisitSlot } from './visit-slot.entity';

export interface VisitMailJob {
  kind: VisitMailKind;
  booking: Booking;
  slot: Pick<VisitSlot, 'startsAt' | 'endsAt'>;
  ceremony: Ceremony;
  /** The manage link, when the token is at hand (only right after booking). */
  manageUrl: string | null;
}

/**
 * Sends visitors' booking messages. Called only after the transaction committed; a failed send
 * is logged and never undoes the booking.
 */
@Injectable()
export class VisitMailer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(VisitMailer.name);
  private readonly domain: string;
  /** Deliveries started and not yet finished, so shutdown (or a CLI command ending) waits for them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly mail: MailService,
    @Inject(appConfig.KEY) app: AppConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {
    this.domain = new URL(app.publicBaseUrl).hostname;
  }

  /** Sends each message on its own; never rejects. */
  async deliver(jobs: readonly VisitMailJob[]): Promise<void> {
    const sending = Promise.all(jobs.map((job) => this.deliverOne(job))).then(() => undefined);
    this.inFlight.add(sending);
    try {
      await sending;
    } finally {
      this.inFlight.delete(sending);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliverOne(job: VisitMailJob): Promise<void> {
    const { booking, slot, ceremony } = job;
    try {
      const locale = pickLocale(booking.locale, ceremony.locales, this.commemoration.defaultLocale);
      const message = buildVisitMail(job.kind, locale, {
        bookingId: booking.id,
        name: booking.name,
        partySize: booking.partySize,
        ceremonyTitle: ceremony.title,
        venueName: ceremony.venueName,
        venueAddress: ceremony.venueAddress,
        timeZone: ceremony.timeZone,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        manageUrl: job.manageUrl,
        domain: this.domain,
      });
      await this.mail.send({
        to: { name: booking.name, address: booking.email },
        subject: message.subject,
        text: message.text,
        html: message.html,
        language: locale,
        attachments: message.ics ? [{ filename: 'visit.ics', content: message.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] : undefined,
      });
    } catch (error) {
      this.logger.error({ err: error, bookingId: booking.id, kind: job.kind }, 'Visit mail could not be sent; the booking stands');
    }
  }
}
