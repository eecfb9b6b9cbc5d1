import { Inject, Injectable, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { badRequest, conflict, editionNotFound } from '../common/errors/refusal';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { MetricsService } from '../metrics/metrics.service';
import { AuditService } from '../audit/audit.service';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import type { Ceremony } from '../ceremonies/ceremony.entity';
import { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/database-errors';
import { resolveField } from '../common/localized-text';
import { Page } from '../common/pagination';
import { generateToken, hashToken, isWellFormedToken } from '../common/tokens';
import { appConfig, AppConfig } from '../config/app.config';
import type { Locale } from '../config/commemoration.config';
import { visitsConfig, VisitsConfig } from '../config/visits.config';
import { TransactionService } from '../database/transaction.service';
import type { Booking } from './booking.entity';
import { toCsv } from '../common/csv';
import { bookingCsvColumns } from './booking-csv';
import {
  BookingCreatedView,
  BookingExportView,
  BookingListQueryDto,
  BookingView,
  CreateBookingDto,
  ManagedBookingView,
} from './dto/booking.dto';
import { VisitMailer } from './visit-mailer';
import { CheckInCodes } from './check-in-codes';
import type { VisitSlot } from './visit-slot.entity';
import { PublicSlotsCache } from './public-slots-cache';
import { VisitsRepository } from './visits.repository';
import { choosePromotions } from './waitlist';

const BOOKING_NOT_FOUND = 'Booking not found';
const SLOT_NOT_FOUND = 'Time slot not found';

@Injectable()
export class BookingsService {
  constructor(
    private readonly metrics: MetricsService,
    private readonly visits: VisitsRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly transactions: TransactionService,
    private readonly slotsCache: PublicSlotsCache,
    private readonly mailer: VisitMailer,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly codes: CheckInCodes,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(visitsConfig.KEY) private readonly config: VisitsConfig,
  ) {}

  /** A visitor books a slot of a published edition: confirmed if the seats are free, else waitlisted on request. */
  async bookVisit(slotId: string, dto: CreateBookingDto): Promise<BookingCreatedView> {
    if (dto.partySize > this.config.maxPartySize) {
      const english = `partySize must not be greater than ${this.config.maxPartySize}; larger groups please contact the organizers`;
      throw badRequest(
        [english],
        [{ field: 'partySize', code: 'out_of_range', english, params: { max: this.config.maxPartySize } }],
      );
    }
    const { token, hash } = generateToken();
    const now = this.clock.now();
    const fields = {
      id: randomUUID(),
      slotId,
      name: dto.name,
      email: dto.email.toLowerCase(),
      phone: dto.phone ?? null,
      groupName: dto.groupName ?? null,
      partySize: dto.partySize,
      locale: dto.locale ?? null,
      manageTokenHash: hash,
      checkInCodeHash: this.codes.hashOf(this.codes.codeFor(hash)),
    };
    // The page behind the link shows and cancels the booking (it calls /bookings/manage/:token).
    const manageUrl = `${this.app.publicBaseUrl}/p/visit/manage?token=${token}${dto.locale ? `&lang=${dto.locale}` : ''}`;
    const duplicate = (error: unknown): never => {
      if (isUniqueViolation(error, 'bookings_slot_email_active_key')) {
        throw conflict(
          'already_booked',
          'This email address already has a booking for this time slot; use the link in your confirmation email to see or cancel it',
          { field: 'email' },
        );
      }
      throw error;
    };
    // Seats free in a published, future slot (the common case): the booking and the job that mails it
    // in one statement, nothing read before; the job composes the message after the answer.
    const confirmation = this.mailer.entry({ bookingId: fields.id, kind: 'confirmed', manageUrl });
    const fast = await this.slotsCache
      .invalidating(() => this.visits.bookIfSeatsFree({ ...fields, confirmedAt: now }, now, confirmation))
      .catch(duplicate);
    if (fast) return this.booked(fast, manageUrl);

    // Otherwise find out why: a slot of a draft edition is no row, like a missing one (one query
    // either way, so the time of the 404 does not tell that it exists), then the rules in order.
    const slot = await this.visits.findPublishedSlot(slotId);
    if (!slot) throw new NotFoundException(SLOT_NOT_FOUND);
    if (slot.startsAt.getTime() <= now.getTime())
      throw conflict('slot_started', 'This time slot has already begun; please choose a later one', {
        field: 'slotId',
      });
    if (dto.partySize > slot.capacity) {
      // The advice follows the cause: no waiting list helps a party larger than the slot, the later slots it fits in do.
      const fits = await this.visits.findSlotsWithRoom(slot.ceremonyId, dto.partySize, now, 10);
      throw conflict(
        'party_too_large',
        `This time slot holds at most ${slot.capacity} people; please choose another time or book a smaller party`,
        {
          field: 'partySize',
          params: { capacity: slot.capacity },
          extra: { fits },
        },
      );
    }
    // The transaction decides between the seats freed meanwhile and the waiting list, under the slot lock.
    const booking = await this.changeSlots(async (manager) => {
      const locked = await this.visits.lockSlot(slotId, manager);
      if (!locked) throw new NotFoundException(SLOT_NOT_FOUND);
      // Under the slot lock, try once more before joining the waiting list: a cancellation then
      // either ran before us (and we get its seats) or runs after our waitlist entry exists (and
      // promotes it), so nobody waits while seats stand free.
      const taken = await this.visits.takeSeats(slotId, dto.partySize, manager);
      if (!taken && !dto.waitlist) {
        throw conflict(
          'slot_full',
          'This time slot is full. Please choose another time, or book again with "waitlist": true to join the waiting list.',
          { field: 'slotId' },
        );
      }
      const inserted = await this.visits
        .insertBooking(
          { ...fields, status: taken ? 'confirmed' : 'waitlisted', confirmedAt: taken ? now : null },
          manager,
        )
        .catch(duplicate);
      await this.mailer.enqueue(
        [{ bookingId: inserted.id, kind: inserted.status === 'confirmed' ? 'confirmed' : 'waitlisted', manageUrl }],
        manager,
      );
      return inserted;
    });
    return this.booked(booking, manageUrl);
  }

  private booked(booking: Booking, manageUrl: string): BookingCreatedView {
    const status = booking.status === 'confirmed' ? 'confirmed' : 'waitlisted';
    this.metrics.bookings.inc({ outcome: status });
    return { id: booking.id, status, manageUrl };
  }

  /** What the holder of a manage link may see: their own booking. */
  async viewBooking(token: string, lang: readonly Locale[] = []): Promise<ManagedBookingView> {
    const booking = isWellFormedToken(token) ? await this.visits.findBookingByTokenHash(hashToken(token)) : null;
    if (!booking) throw new NotFoundException(BOOKING_NOT_FOUND);
    return this.managedView(booking, lang);
  }

  /** Everything held about the holder's booking: every stored column (secrets' hashes aside), its slot, its edition and the audit entries about it. */
  async exportBooking(token: string): Promise<BookingExportView> {
    const booking = isWellFormedToken(token) ? await this.visits.findBookingByTokenHash(hashToken(token)) : null;
    if (!booking) throw new NotFoundException(BOOKING_NOT_FOUND);
    const slot = await this.visits.findSlot(booking.slotId);
    const ceremony = slot ? await this.ceremonies.findById(slot.ceremonyId) : null;
    if (!slot || !ceremony) throw new NotFoundException(BOOKING_NOT_FOUND);
    const audit = await this.audit.list({ entityType: 'booking', entityId: booking.id }, 500, 0);
    const { manageTokenHash: _manage, checkInCodeHash: _code, ...stored } = booking;
    return {
      exportedAt: this.clock.now(),
      booking: { ...stored, sequence: Number(booking.sequence) },
      slot: { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt, capacity: slot.capacity },
      ceremony: {
        id: ceremony.id,
        year: ceremony.year,
        title: ceremony.title,
        date: ceremony.date,
        timeZone: ceremony.timeZone,
        venueName: ceremony.venueName,
        venueAddress: ceremony.venueAddress,
      },
      audit: audit.items.map((entry) => ({
        action: entry.action,
        occurredAt: entry.occurredAt,
        before: entry.before,
        after: entry.after,
      })),
    };
  }

  /**
   * Cancels through the manage link (idempotent), gives the seats back and moves the waiting list
   * up, all under the slot lock so the counter stays equal to the confirmed people.
   */
  async cancelBooking(token: string, lang: readonly Locale[] = []): Promise<ManagedBookingView> {
    const found = isWellFormedToken(token) ? await this.visits.findBookingByTokenHash(hashToken(token)) : null;
    if (!found) throw new NotFoundException(BOOKING_NOT_FOUND);
    const { booking } = await this.cancelAndPromote(found);
    return this.managedView(booking, lang);
  }

  /**
   * Staff cancel a booking on the visitor's behalf (a phone call): the same release of seats,
   * promotions and mails as the visitor's own cancel, recorded in the audit log. Idempotent.
   */
  async cancelBookingForVisitor(actor: AuthUser, bookingId: string): Promise<BookingView> {
    const found = await this.visits.findBooking(bookingId);
    if (!found) throw new NotFoundException(BOOKING_NOT_FOUND);
    const { booking } = await this.cancelAndPromote(found, async (cancelled, promoted, manager) => {
      await this.audit.record(
        {
          actor,
          action: 'booking.cancel',
          entityType: 'booking',
          entityId: cancelled.id,
          before: { status: found.status },
          after: {
            status: cancelled.status,
            cancelledAt: cancelled.cancelledAt,
            promotedBookingIds: promoted.map((item) => item.id),
          },
        },
        manager,
      );
    });
    const slot = (await this.visits.findSlot(booking.slotId)) as VisitSlot;
    return BookingView.of(booking, slot);
  }

  /** One cancel for both doors: under the slot lock, seats back, the waiting list up and mailed; `record` runs only when this call cancelled it. */
  private async cancelAndPromote(
    found: Booking,
    record?: (cancelled: Booking, promoted: Booking[], manager: EntityManager) => Promise<void>,
  ): Promise<{ booking: Booking; promoted: Booking[] }> {
    const now = this.clock.now();
    const result = await this.changeSlots(async (manager) => {
      await this.visits.lockSlot(found.slotId, manager);
      const current = await this.visits.findBooking(found.id, manager);
      if (!current) throw new NotFoundException(BOOKING_NOT_FOUND);
      if (current.status === 'cancelled') return { booking: current, promoted: [] as Booking[], changed: false };
      if (current.checkedInAt)
        throw conflict('already_checked_in', 'This visit has already been checked in and can no longer be cancelled');
      const cancelled = await this.visits.cancelBooking(current.id, now, manager);
      // Only a check-in can have changed it since we read it: promotions need the slot lock we hold.
      if (!cancelled)
        throw conflict('already_checked_in', 'This visit has already been checked in and can no longer be cancelled');
      if (
        current.status === 'confirmed' &&
        !(await this.visits.releaseSeats(current.slotId, current.partySize, manager))
      ) {
        throw new InternalServerErrorException('Seat counter out of step with bookings');
      }
      const promoted = await this.promoteWaitlist(current.slotId, manager);
      await this.mailPromoted(promoted, manager);
      await record?.(cancelled, promoted, manager);
      return { booking: cancelled, promoted, changed: true };
    });
    if (result.changed) this.metrics.bookings.inc({ outcome: 'cancelled' });
    if (result.promoted.length > 0) this.metrics.bookings.inc({ outcome: 'promoted' }, result.promoted.length);
    return result;
  }

  /**
   * Confirms waiting parties in arrival order as far as the free seats allow (a party that does
   * not fit is skipped, never split). The caller holds the slot lock, so nothing else moves the
   * counter meanwhile; the seat update is still conditional, with the CHECK as last backstop.
   */
  async promoteWaitlist(slotId: string, manager: EntityManager): Promise<Booking[]> {
    const slot = await this.visits.lockSlot(slotId, manager);
    if (!slot || slot.booked >= slot.capacity) return [];
    const chosen = choosePromotions(await this.visits.listWaitlisted(slotId, manager), slot.capacity - slot.booked);
    if (chosen.length === 0) return [];
    const people = chosen.reduce((sum, booking) => sum + booking.partySize, 0);
    if (!(await this.visits.takeSeats(slotId, people, manager)))
      throw new InternalServerErrorException('Promotion did not fit although the slot was locked');
    const promoted = await this.visits.confirmWaitlisted(
      chosen.map((booking) => booking.id),
      this.clock.now(),
      manager,
    );
    if (promoted.length !== chosen.length)
      throw new InternalServerErrorException('Waiting list changed while the slot was locked');
    return promoted.sort((a, b) => Number(a.sequence) - Number(b.sequence));
  }

  /** Tells each promoted visitor: the jobs are written in the transaction that promoted them (sent once it commits). */
  async mailPromoted(promoted: readonly Booking[], manager: EntityManager): Promise<void> {
    await this.mailer.enqueue(
      promoted.map((booking) => ({ bookingId: booking.id, kind: 'promoted' as const })),
      manager,
    );
  }

  async listBookings(ceremonyId: string, query: BookingListQueryDto): Promise<Page<BookingView>> {
    await this.requireCeremony(ceremonyId);
    const [rows, total] = await this.visits.listBookings(
      { ceremonyId, status: query.status, slotId: query.slotId, text: query.q },
      query.limit,
      query.offset,
    );
    return { items: rows.map((row) => BookingView.ofRow(row)), total };
  }

  /** Every matching booking as CSV, times in the edition's zone. */
  async exportBookings(ceremonyId: string, query: BookingListQueryDto): Promise<string> {
    const ceremony = await this.requireCeremony(ceremonyId);
    const [rows] = await this.visits.listBookings(
      { ceremonyId, status: query.status, slotId: query.slotId, text: query.q },
      null,
      0,
    );
    return toCsv(
      rows.map((row) => BookingView.ofRow(row)),
      bookingCsvColumns(ceremony.timeZone),
    );
  }

  /** Marks the arrival of a confirmed booking; a second call answers the same booking unchanged. */
  async checkIn(actor: AuthUser, bookingId: string): Promise<BookingView> {
    const at = this.clock.now();
    // One statement decides and records (arrival and audit entry), as a scan at the desk does.
    const booking = await this.visits.checkIn(
      { id: bookingId },
      at,
      this.audit.entry({
        actor,
        action: 'booking.check_in',
        entityType: 'booking',
        before: { checkedInAt: null },
        after: { checkedInAt: at },
      }),
    );
    if (!booking) throw new NotFoundException(BOOKING_NOT_FOUND);
    if (booking.status === 'cancelled')
      throw conflict('booking_cancelled', 'This booking was cancelled; the visitor cannot be checked in');
    if (booking.status === 'waitlisted')
      throw conflict(
        'booking_waitlisted',
        'This booking is on the waiting list and not confirmed; the visitor cannot be checked in',
      );
    if (booking.arrivedAt) this.metrics.bookings.inc({ outcome: 'checked_in' });
    return BookingView.ofRow(booking);
  }

  /** A transaction that changes slots or bookings; the public slot list is refreshed once it ends. */
  private changeSlots<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.slotsCache.invalidating(() => this.transactions.run(work));
  }

  private async requireCeremony(ceremonyId: string): Promise<Ceremony> {
    const ceremony = await this.ceremonies.findById(ceremonyId);
    if (!ceremony) throw editionNotFound();
    return ceremony;
  }

  /** The edition's texts in the reader's language, else the language the visitor booked in, else the edition's. */
  private async managedView(booking: Booking, lang: readonly Locale[] = []): Promise<ManagedBookingView> {
    const slot = await this.visits.findSlot(booking.slotId);
    const ceremony = slot ? await this.ceremonies.findById(slot.ceremonyId) : null;
    if (!slot || !ceremony) throw new NotFoundException(BOOKING_NOT_FOUND);
    const readers = booking.locale ? [...lang, booking.locale] : lang;
    const text = (plain: string, field: string) =>
      resolveField(plain, ceremony.translations, field, readers, ceremony.locales);
    return {
      id: booking.id,
      status: booking.status,
      name: booking.name,
      partySize: booking.partySize,
      groupName: booking.groupName,
      checkedIn: booking.checkedInAt !== null,
      cancelledAt: booking.cancelledAt,
      // Only a confirmed party can be checked in; an erased booking has no code any more.
      checkInQr:
        booking.status === 'confirmed' && booking.checkInCodeHash
          ? `data:image/png;base64,${(await this.codes.png(this.codes.codeFor(booking.manageTokenHash))).toString('base64')}`
          : null,
      slot: { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt },
      ceremony: {
        id: ceremony.id,
        title: text(ceremony.title, 'title'),
        venueName: text(ceremony.venueName, 'venue.name'),
        venueAddress: text(ceremony.venueAddress, 'venue.address'),
        timeZone: ceremony.timeZone,
      },
    };
  }
}
