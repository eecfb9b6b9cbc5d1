import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { pickLocale } from '../common/i18n';
import { resolveField } from '../common/localized-text';
import { appConfig, AppConfig } from '../config/app.config';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import { MailQueue } from '../mail/mail-queue.service';
import type { OutgoingMail } from '../mail/mail.types';
import type { JobEntry } from '../jobs/jobs.repository';
import type { Booking } from './booking.entity';
import { CheckInCodes } from './check-in-codes';
import { buildVisitMail, VisitMailKind } from './visit-mail';
import type { VisitSlot } from './visit-slot.entity';

export interface VisitMailJob {
  kind: VisitMailKind;
  booking: Pick<Booking, 'id' | 'name' | 'email' | 'partySize' | 'locale' | 'manageTokenHash'>;
  slot: Pick<VisitSlot, 'startsAt' | 'endsAt'>;
  ceremony: Ceremony;
  /** The manage link, when the token is at hand (only right after booking). */
  manageUrl: string | null;
}

/**
 * Composes visitors' booking messages in their language and hands them to the mail queue, in
 * the transaction that decided them: they are sent once it commits, with retries.
 */
@Injectable()
export class VisitMailer {
  private readonly domain: string;

  constructor(
    private readonly mail: MailQueue,
    private readonly codes: CheckInCodes,
    @Inject(appConfig.KEY) app: AppConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {
    this.domain = new URL(app.publicBaseUrl).hostname;
  }

  async enqueue(jobs: readonly VisitMailJob[], manager: EntityManager): Promise<void> {
    await this.mail.enqueue(await Promise.all(jobs.map((job) => this.compose(job))), manager);
  }

  /** The job of one message, for a statement that writes it together with the booking. */
  async entry(job: VisitMailJob): Promise<JobEntry> {
    return this.mail.entry(await this.compose(job));
  }

  private async compose(job: VisitMailJob): Promise<OutgoingMail> {
    const { booking, slot, ceremony } = job;
    // A waitlisted party cannot be checked in yet: its code comes with the promotion mail.
    const checkInCode = job.kind === 'waitlisted' ? null : this.codes.codeFor(booking.manageTokenHash);
    const locale = pickLocale(booking.locale, ceremony.locales, this.commemoration.defaultLocale);
    const message = buildVisitMail(job.kind, locale, {
      bookingId: booking.id,
      name: booking.name,
      partySize: booking.partySize,
      // The edition's texts in the recipient's language (a row without maps reads as its plain text).
      ceremonyTitle: resolveField(ceremony.title, ceremony.translations, 'title', locale, ceremony.locales),
      venueName: resolveField(ceremony.venueName, ceremony.translations, 'venue.name', locale, ceremony.locales),
      venueAddress: resolveField(
        ceremony.venueAddress,
        ceremony.translations,
        'venue.address',
        locale,
        ceremony.locales,
      ),
      timeZone: ceremony.timeZone,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      manageUrl: job.manageUrl,
      checkInCode,
      domain: this.domain,
    });
    return {
      kind: `visit.${job.kind}`,
      to: { name: booking.name, address: booking.email },
      subject: message.subject,
      text: message.text,
      html: message.html,
      language: locale,
      attachments: [
        ...(message.ics
          ? [
              {
                filename: 'visit.ics',
                content: message.ics,
                contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
              },
            ]
          : []),
        // Attached, not drawn in the HTML: an image beside a short text is what image-only spam looks like to filters
        // (SpamAssassin's HTML_IMAGE_ONLY_12 scores it 1.4); the manage page shows the same image.
        // Drawn by the sender, not in the request that queues it.
        ...(checkInCode ? [{ filename: 'qr.png', qrCode: checkInCode, contentType: 'image/png' }] : []),
      ],
    };
  }
}
