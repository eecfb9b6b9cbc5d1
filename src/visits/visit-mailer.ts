import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import { pickLocale } from '../common/i18n';
import { resolveField } from '../common/localized-text';
import { appConfig, AppConfig } from '../config/app.config';
import { commemorationConfig, CommemorationConfig } from '../config/commemoration.config';
import { JobContext, JobHandler, JobResult } from '../jobs/job-handler.decorator';
import type { JobEntry } from '../jobs/jobs.repository';
import { Jobs } from '../jobs/jobs.service';
import { MailQueue } from '../mail/mail-queue.service';
import type { OutgoingMail } from '../mail/mail.types';
import type { Booking } from './booking.entity';
import { CheckInCodes } from './check-in-codes';
import { buildVisitMail, VisitMailKind } from './visit-mail';
import type { VisitSlot } from './visit-slot.entity';
import { VisitsRepository } from './visits.repository';

/** The job kind of a visitor's booking message: composed and sent by the job, not in the request. */
export const VISIT_MAIL = 'visit.mail';

/** What the job keeps: the rest is read back when it runs. Sealed like every job's payload. */
export interface VisitMailPayload {
  bookingId: string;
  kind: VisitMailKind;
  /** The manage link, only at hand right after booking: the database keeps its token's hash alone. */
  manageUrl?: string;
}

/**
 * Visitors' booking messages. The transaction that decides a booking's change writes a small job
 * (`visit.mail`); the job reads the booking, its slot and its edition, composes the message in the
 * visitor's language and sends it through the mail queue's send (with its per-recipient bound).
 * A message whose booking was cancelled or erased before the job ran is not sent.
 */
@Injectable()
export class VisitMailer {
  private readonly domain: string;

  constructor(
    private readonly jobs: Jobs,
    private readonly mail: MailQueue,
    private readonly visits: VisitsRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly codes: CheckInCodes,
    @Inject(appConfig.KEY) app: AppConfig,
    @Inject(commemorationConfig.KEY) private readonly commemoration: CommemorationConfig,
  ) {
    this.domain = new URL(app.publicBaseUrl).hostname;
  }

  /** Writes the jobs in the caller's transaction: they run once it commits, and never if it rolls back. */
  async enqueue(payloads: readonly VisitMailPayload[], manager: EntityManager): Promise<void> {
    await this.jobs.enqueue(VISIT_MAIL, payloads, { manager });
  }

  /** The job of one message, for a statement that writes it together with the booking. */
  entry(payload: VisitMailPayload): JobEntry {
    return this.jobs.entry(VISIT_MAIL, payload);
  }

  /** Composes the message from the booking as it is now and sends it; the same booking composes the same message. */
  @JobHandler(VISIT_MAIL)
  async send(payload: VisitMailPayload, job: JobContext): Promise<JobResult> {
    const found = await this.visits.findBookingForMail(payload.bookingId);
    const ceremony = found ? await this.ceremonies.findById(found.slot.ceremonyId) : null;
    // Dropped, not done: the job stays with the reason (the runner logs it).
    if (!found || !ceremony) return { dropped: 'booking no longer exists' };
    const reason = this.notToSend(payload.kind, found.booking);
    if (reason) return { dropped: reason };
    return this.mail.send(this.compose(payload, found.booking, found.slot, ceremony), job);
  }

  /**
   * Why a message no longer applies. The waiting-list message still goes when a promotion overtook it:
   * it carries the manage link, which the promotion's message does not.
   */
  private notToSend(kind: VisitMailKind, booking: Booking): string | null {
    if (booking.erasedAt) return 'booking erased';
    if (booking.status === 'cancelled') return 'booking cancelled before its message was sent';
    if (kind !== 'waitlisted' && booking.status !== 'confirmed') return `booking is ${booking.status}`;
    return null;
  }

  private compose(
    payload: VisitMailPayload,
    booking: Booking,
    slot: Pick<VisitSlot, 'startsAt' | 'endsAt'>,
    ceremony: Ceremony,
  ): OutgoingMail {
    const { kind } = payload;
    // A waitlisted party cannot be checked in yet: its code comes with the promotion mail.
    const checkInCode = kind === 'waitlisted' ? null : this.codes.codeFor(booking.manageTokenHash);
    const locale = pickLocale(booking.locale, ceremony.locales, this.commemoration.defaultLocale);
    const message = buildVisitMail(kind, locale, {
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
      manageUrl: payload.manageUrl ?? null,
      checkInCode,
      domain: this.domain,
      stamp: booking.confirmedAt ?? booking.createdAt,
    });
    return {
      kind: `visit.${kind}`,
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
