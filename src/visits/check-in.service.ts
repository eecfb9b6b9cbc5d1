import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { editionNotFound } from '../common/errors/refusal';
import type { AuthUser } from '../auth/auth.decorators';
import { AuditService } from '../audit/audit.service';
import { CeremoniesRepository } from '../ceremonies/ceremonies.repository';
import { Clock } from '../common/clock';
import { MetricsService } from '../metrics/metrics.service';
import { CheckInCodes } from './check-in-codes';
import { BookingView } from './dto/booking.dto';
import { CheckInResultView, DeskSearchView, SlotArrivalsView } from './dto/check-in.dto';
import { VisitsRepository } from './visits.repository';

const UNKNOWN_CODE = 'Unknown check-in code';
const SEARCH_LIMIT = 50;

function conflict(code: 'booking_cancelled' | 'booking_waitlisted', message: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    message,
    error: 'Conflict',
    code,
    errors: [{ field: 'code', code, message }],
  });
}

/** The entrance desk: a scanned QR code checks its party in; a search finds a party without one. */
@Injectable()
export class CheckInService {
  constructor(
    private readonly visits: VisitsRepository,
    private readonly ceremonies: CeremoniesRepository,
    private readonly codes: CheckInCodes,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  /** Checks in the booking the code belongs to; a repeat scan answers the first arrival (`firstScan: false`). */
  async checkInByCode(actor: AuthUser, input: string): Promise<CheckInResultView> {
    const code = this.codes.parse(input);
    // A malformed code is as unknown as a wrong one: the desk shows one message for both.
    if (!code) throw new NotFoundException(UNKNOWN_CODE);
    const at = this.clock.now();
    // One statement decides and records (arrival and audit entry): a desk's scan is one round trip.
    const booking = await this.visits.checkIn(
      { checkInCodeHash: this.codes.hashOf(code) },
      at,
      this.audit.entry({
        actor,
        action: 'booking.check_in',
        entityType: 'booking',
        before: { checkedInAt: null },
        after: { checkedInAt: at, via: 'code' },
      }),
    );
    if (!booking) throw new NotFoundException(UNKNOWN_CODE);
    if (booking.status === 'cancelled')
      throw conflict('booking_cancelled', 'This booking was cancelled; the visitor cannot be checked in');
    if (booking.status === 'waitlisted')
      throw conflict(
        'booking_waitlisted',
        'This booking is on the waiting list and not confirmed; the visitor cannot be checked in',
      );
    if (booking.arrivedAt) this.metrics.bookings.inc({ outcome: 'checked_in' });
    return { ...BookingView.ofRow(booking), firstScan: booking.arrivedAt !== null };
  }

  /** The booking a code belongs to, as it is now (cancelled, waitlisted and arrived ones too), for the desk to show before a tap. */
  async lookUpByCode(input: string): Promise<BookingView> {
    const code = this.codes.parse(input);
    if (!code) throw new NotFoundException(UNKNOWN_CODE);
    const booking = await this.visits.findBookingByCheckInCodeHash(this.codes.hashOf(code));
    if (!booking) throw new NotFoundException(UNKNOWN_CODE);
    return BookingView.ofRow(booking);
  }

  /** Bookings of an edition by name, email or group, for a party without its code. */
  async search(ceremonyId: string, text: string): Promise<DeskSearchView> {
    const query = text.trim();
    if (query.length < 2) throw new BadRequestException(['q must be at least 2 characters long']);
    if (!(await this.ceremonies.findById(ceremonyId))) throw editionNotFound();
    const rows = await this.visits.searchBookings(ceremonyId, query, SEARCH_LIMIT);
    return { items: rows.map((row) => BookingView.ofRow(row)), total: rows.length };
  }

  /** Arrived against expected people of a slot, for the desk's live counter. */
  async arrivals(slotId: string): Promise<SlotArrivalsView> {
    const slot = await this.visits.findSlot(slotId);
    if (!slot) throw new NotFoundException('Time slot not found');
    return {
      slotId,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      capacity: slot.capacity,
      ...(await this.visits.slotArrivals(slotId)),
    };
  }
}
