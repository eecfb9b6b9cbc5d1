import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/sql-rows';
import { AUDIT_INSERT, AuditColumns } from '../audit/audit.repository';
import { enqueueJobSql, JobEntry } from '../jobs/jobs.repository';
import { Booking, BookingStatus } from './booking.entity';
import { VisitSlot } from './visit-slot.entity';

const SLOT_COLUMNS = `s.id, s.ceremony_id AS "ceremonyId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.capacity, s.booked, s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;
const INSERT_BOOKING = `INSERT INTO bookings AS b (id, slot_id, name, email, phone, group_name, party_size, locale, status, manage_token_hash, confirmed_at, check_in_code_hash)`;
const BOOKING_COLUMNS = `b.id, b.slot_id AS "slotId", b.sequence, b.name, b.email, b.phone, b.group_name AS "groupName", b.party_size AS "partySize", b.locale, b.status,
  b.manage_token_hash AS "manageTokenHash", b.check_in_code_hash AS "checkInCodeHash", b.checked_in_at AS "checkedInAt", b.confirmed_at AS "confirmedAt", b.cancelled_at AS "cancelledAt", b.erased_at AS "erasedAt", b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;

export interface SlotWithCounts extends VisitSlot {
  /** People on the waiting list. */
  waitlisted: number;
  /** People of confirmed bookings who have arrived. */
  checkedIn: number;
  confirmedBookings: number;
  waitlistedBookings: number;
}

export interface BookingFilter {
  ceremonyId: string;
  status?: BookingStatus;
  slotId?: string;
  /** Part of the name, email or group, any letter case. */
  text?: string;
}

/** `text` as an ILIKE pattern that matches it anywhere, its own % and _ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

export interface BookingWithSlot extends Booking {
  slotStartsAt: Date;
  slotEndsAt: Date;
}

export interface CheckedInBooking extends BookingWithSlot {
  /** Set when this call recorded the arrival (then equal to checkedInAt); null for a repeat or a refusal. */
  arrivedAt: Date | null;
}

export interface NewBooking {
  /** Chosen by the app (a random UUID), so the confirmation can be composed before the row exists. */
  id: string;
  slotId: string;
  name: string;
  email: string;
  phone: string | null;
  groupName: string | null;
  partySize: number;
  locale: string | null;
  status: 'confirmed' | 'waitlisted';
  manageTokenHash: string;
  checkInCodeHash: string;
  confirmedAt: Date | null;
}

@Injectable()
export class VisitsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private async sql<T>(manager: EntityManager | undefined, query: string, params: unknown[]): Promise<T[]> {
    return rowsOf<T>(await (manager ?? this.dataSource.manager).query(query, params));
  }

  // ---- slots ----

  async insertSlot(
    slot: { ceremonyId: string; startsAt: Date; endsAt: Date; capacity: number },
    manager?: EntityManager,
  ): Promise<VisitSlot> {
    const [row] = await this.sql<VisitSlot>(
      manager,
      `INSERT INTO visit_slots AS s (ceremony_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4) RETURNING ${SLOT_COLUMNS}`,
      [slot.ceremonyId, slot.startsAt, slot.endsAt, slot.capacity],
    );
    return row;
  }

  /**
   * One set-based insert of a day's slots: starts at `from`, every `everyMinutes`, each lasting
   * `durationMinutes`, the last ending no later than `to`. A start time the edition already has
   * is skipped, so re-sending the same generation adds only what is missing.
   */
  generateSlots(
    plan: { ceremonyId: string; from: Date; to: Date; everyMinutes: number; durationMinutes: number; capacity: number },
    manager?: EntityManager,
  ): Promise<VisitSlot[]> {
    return this.sql<VisitSlot>(
      manager,
      `INSERT INTO visit_slots AS s (ceremony_id, starts_at, ends_at, capacity)
       SELECT $1, start, start + make_interval(mins => $5), $6
         FROM generate_series($2::timestamptz, $3::timestamptz - make_interval(mins => $5), make_interval(mins => $4)) AS start
        WHERE NOT EXISTS (SELECT 1 FROM visit_slots existing WHERE existing.ceremony_id = $1 AND existing.starts_at = start)
        ORDER BY start
       RETURNING ${SLOT_COLUMNS}`,
      [plan.ceremonyId, plan.from, plan.to, plan.everyMinutes, plan.durationMinutes, plan.capacity],
    );
  }

  /**
   * What `generateSlots` would insert for the same plan, written nowhere: the same series, each
   * start flagged when the edition already has it (the insert skips those).
   */
  previewGeneratedSlots(plan: {
    ceremonyId: string;
    from: Date;
    to: Date;
    everyMinutes: number;
    durationMinutes: number;
  }): Promise<Array<{ startsAt: Date; endsAt: Date; exists: boolean }>> {
    return this.sql(
      undefined,
      `SELECT start AS "startsAt", start + make_interval(mins => $5) AS "endsAt",
              EXISTS (SELECT 1 FROM visit_slots existing WHERE existing.ceremony_id = $1 AND existing.starts_at = start) AS exists
         FROM generate_series($2::timestamptz, $3::timestamptz - make_interval(mins => $5), make_interval(mins => $4)) AS start
        ORDER BY start`,
      [plan.ceremonyId, plan.from, plan.to, plan.everyMinutes, plan.durationMinutes],
    );
  }

  async findSlot(id: string, manager?: EntityManager): Promise<VisitSlot | null> {
    const [row] = await this.sql<VisitSlot>(manager, `SELECT ${SLOT_COLUMNS} FROM visit_slots s WHERE s.id = $1`, [id]);
    return row ?? null;
  }

  /** Later slots of the edition with room for `people` now (what a refused party can book instead), in time order. */
  async findSlotsWithRoom(
    ceremonyId: string,
    people: number,
    after: Date,
    limit: number,
  ): Promise<Array<{ slotId: string; startsAt: Date; endsAt: Date; remaining: number }>> {
    return this.sql(
      undefined,
      `SELECT s.id AS "slotId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.capacity - s.booked AS remaining
         FROM visit_slots s
        WHERE s.ceremony_id = $1 AND s.starts_at > $3 AND s.capacity - s.booked >= $2
        ORDER BY s.starts_at
        LIMIT $4`,
      [ceremonyId, people, after, limit],
    );
  }

  /** The slot if its edition is published; a slot of a draft is no row, exactly like a missing one. */
  async findPublishedSlot(id: string, manager?: EntityManager): Promise<VisitSlot | null> {
    const [row] = await this.sql<VisitSlot>(
      manager,
      `SELECT ${SLOT_COLUMNS} FROM visit_slots s JOIN ceremonies c ON c.id = s.ceremony_id AND c.status = 'published' WHERE s.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Locks the slot row until the transaction ends: seat releases and promotions of one slot run one at a time. */
  async lockSlot(id: string, manager: EntityManager): Promise<VisitSlot | null> {
    const [row] = await this.sql<VisitSlot>(
      manager,
      `SELECT ${SLOT_COLUMNS} FROM visit_slots s WHERE s.id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  /** Slots of an edition in time order, with waiting-list and check-in totals (people). */
  listSlotsWithCounts(ceremonyId: string, manager?: EntityManager): Promise<SlotWithCounts[]> {
    return this.sql<SlotWithCounts>(
      manager,
      `SELECT ${SLOT_COLUMNS},
              COALESCE(SUM(b.party_size) FILTER (WHERE b.status = 'waitlisted'), 0)::int AS waitlisted,
              COALESCE(SUM(b.party_size) FILTER (WHERE b.status = 'confirmed' AND b.checked_in_at IS NOT NULL), 0)::int AS "checkedIn",
              COUNT(b.id) FILTER (WHERE b.status = 'confirmed')::int AS "confirmedBookings",
              COUNT(b.id) FILTER (WHERE b.status = 'waitlisted')::int AS "waitlistedBookings"
         FROM visit_slots s
         LEFT JOIN bookings b ON b.slot_id = s.id AND b.status <> 'cancelled'
        WHERE s.ceremony_id = $1
        GROUP BY s.id
        ORDER BY s.starts_at, s.ends_at, s.id`,
      [ceremonyId],
    );
  }

  async waitlistedPeople(slotId: string, manager?: EntityManager): Promise<number> {
    const [row] = await this.sql<{ people: number }>(
      manager,
      `SELECT COALESCE(SUM(party_size), 0)::int AS people FROM bookings WHERE slot_id = $1 AND status = 'waitlisted'`,
      [slotId],
    );
    return row.people;
  }

  async updateSlotTimes(id: string, startsAt: Date, endsAt: Date, manager: EntityManager): Promise<void> {
    await this.sql(manager, `UPDATE visit_slots SET starts_at = $2, ends_at = $3, updated_at = now() WHERE id = $1`, [
      id,
      startsAt,
      endsAt,
    ]);
  }

  /** Sets the capacity unless it would fall below the people already confirmed; null when refused. */
  async setCapacity(id: string, capacity: number, manager: EntityManager): Promise<VisitSlot | null> {
    const [row] = await this.sql<VisitSlot>(
      manager,
      `UPDATE visit_slots AS s SET capacity = $2, updated_at = now() WHERE s.id = $1 AND s.booked <= $2 RETURNING ${SLOT_COLUMNS}`,
      [id, capacity],
    );
    return row ?? null;
  }

  async deleteSlot(id: string, manager: EntityManager): Promise<void> {
    await this.sql(manager, `DELETE FROM visit_slots WHERE id = $1`, [id]);
  }

  async countActiveBookings(slotId: string, manager: EntityManager): Promise<number> {
    const [row] = await this.sql<{ count: number }>(
      manager,
      `SELECT COUNT(*)::int AS count FROM bookings WHERE slot_id = $1 AND status <> 'cancelled'`,
      [slotId],
    );
    return row.count;
  }

  /**
   * Takes `people` seats if they are free, in one conditional update: the database decides, so
   * concurrent bookings can never push `booked` past `capacity`. Null when they do not fit.
   */
  async takeSeats(slotId: string, people: number, manager: EntityManager): Promise<VisitSlot | null> {
    const [row] = await this.sql<VisitSlot>(
      manager,
      `UPDATE visit_slots AS s SET booked = s.booked + $2 WHERE s.id = $1 AND s.booked + $2 <= s.capacity RETURNING ${SLOT_COLUMNS}`,
      [slotId, people],
    );
    return row ?? null;
  }

  /** Gives seats back; refuses (false) rather than letting the counter go negative. */
  async releaseSeats(slotId: string, people: number, manager: EntityManager): Promise<boolean> {
    const rows = await this.sql<{ id: string }>(
      manager,
      `UPDATE visit_slots SET booked = booked - $2 WHERE id = $1 AND booked >= $2 RETURNING id`,
      [slotId, people],
    );
    return rows.length === 1;
  }

  // ---- bookings ----

  /**
   * The common case of a booking: seats, the confirmed booking and the job that mails it in one
   * statement, if the slot belongs to a published edition, has not begun at `now` and still has the
   * seats. The slot row is locked only while this statement runs, never across a round trip, which
   * is what limits bookings per second on a popular slot. Null when any of that fails (nothing is
   * written; the caller finds out why and decides under the slot lock); a unique violation undoes all of it.
   */
  async bookIfSeatsFree(booking: Omit<NewBooking, 'status'>, now: Date, mail: JobEntry): Promise<Booking | null> {
    const [row] = await this.sql<Booking>(
      undefined,
      `WITH s AS (UPDATE visit_slots AS s SET booked = s.booked + $7 FROM ceremonies c
                   WHERE s.id = $2 AND c.id = s.ceremony_id AND c.status = 'published' AND s.starts_at > $11
                     AND s.booked + $7 <= s.capacity RETURNING s.id),
            b AS (${INSERT_BOOKING}
                  SELECT $1, s.id, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $10, $15 FROM s
                  RETURNING ${BOOKING_COLUMNS}),
            o AS (SELECT ${enqueueJobSql('$12', '$13', '$14')} AS job FROM b)
       SELECT b.* FROM b LEFT JOIN o ON true`,
      [
        booking.id,
        booking.slotId,
        booking.name,
        booking.email,
        booking.phone,
        booking.groupName,
        booking.partySize,
        booking.locale,
        booking.manageTokenHash,
        booking.confirmedAt,
        now,
        mail.kind,
        mail.payload,
        mail.runAt,
        booking.checkInCodeHash,
      ],
    );
    return row ?? null;
  }

  /** A booking with the times and edition of its slot, for the job that mails it; null once it is gone. */
  async findBookingForMail(
    id: string,
  ): Promise<{ booking: Booking; slot: Pick<VisitSlot, 'startsAt' | 'endsAt' | 'ceremonyId'> } | null> {
    const [row] = await this.sql<Booking & { slotStartsAt: Date; slotEndsAt: Date; ceremonyId: string }>(
      undefined,
      `SELECT ${BOOKING_COLUMNS}, s.starts_at AS "slotStartsAt", s.ends_at AS "slotEndsAt", s.ceremony_id AS "ceremonyId"
         FROM bookings b JOIN visit_slots s ON s.id = b.slot_id WHERE b.id = $1`,
      [id],
    );
    if (!row) return null;
    const { slotStartsAt, slotEndsAt, ceremonyId, ...booking } = row;
    return { booking, slot: { startsAt: slotStartsAt, endsAt: slotEndsAt, ceremonyId } };
  }

  async insertBooking(booking: NewBooking, manager: EntityManager): Promise<Booking> {
    const [row] = await this.sql<Booking>(
      manager,
      `${INSERT_BOOKING}
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING ${BOOKING_COLUMNS}`,
      [
        booking.id,
        booking.slotId,
        booking.name,
        booking.email,
        booking.phone,
        booking.groupName,
        booking.partySize,
        booking.locale,
        booking.status,
        booking.manageTokenHash,
        booking.confirmedAt,
        booking.checkInCodeHash,
      ],
    );
    return row;
  }

  async findBookingByTokenHash(hash: string, manager?: EntityManager): Promise<Booking | null> {
    const [row] = await this.sql<Booking>(
      manager,
      `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE b.manage_token_hash = $1`,
      [hash],
    );
    return row ?? null;
  }

  async findBooking(id: string, manager?: EntityManager): Promise<Booking | null> {
    const [row] = await this.sql<Booking>(manager, `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE b.id = $1`, [id]);
    return row ?? null;
  }

  /** The booking of a check-in code's hash with its slot's times, in one statement (the desk's look-up). */
  async findBookingByCheckInCodeHash(hash: string): Promise<BookingWithSlot | null> {
    const [row] = await this.sql<BookingWithSlot>(
      undefined,
      `SELECT ${BOOKING_COLUMNS}, s.starts_at AS "slotStartsAt", s.ends_at AS "slotEndsAt"
         FROM bookings b JOIN visit_slots s ON s.id = b.slot_id
        WHERE b.check_in_code_hash = $1`,
      [hash],
    );
    return row ?? null;
  }

  /** Active bookings of an edition whose name, email or group contains the text (the desk's search). */
  searchBookings(ceremonyId: string, text: string, limit: number): Promise<BookingWithSlot[]> {
    const pattern = `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
    return this.sql<BookingWithSlot>(
      undefined,
      `SELECT ${BOOKING_COLUMNS}, s.starts_at AS "slotStartsAt", s.ends_at AS "slotEndsAt"
         FROM bookings b JOIN visit_slots s ON s.id = b.slot_id
        WHERE s.ceremony_id = $1 AND b.erased_at IS NULL AND (b.name ILIKE $2 OR b.email ILIKE $2 OR b.group_name ILIKE $2)
        ORDER BY s.starts_at, s.id, b.sequence
        LIMIT $3`,
      [ceremonyId, pattern, limit],
    );
  }

  /** People expected (confirmed) and arrived (checked in) in one slot. */
  async slotArrivals(
    slotId: string,
  ): Promise<{ expectedPeople: number; arrivedPeople: number; expectedBookings: number; arrivedBookings: number }> {
    const [row] = await this.sql<{
      expectedPeople: number;
      arrivedPeople: number;
      expectedBookings: number;
      arrivedBookings: number;
    }>(
      undefined,
      `SELECT COALESCE(SUM(b.party_size), 0)::int AS "expectedPeople",
              COALESCE(SUM(b.party_size) FILTER (WHERE b.checked_in_at IS NOT NULL), 0)::int AS "arrivedPeople",
              COUNT(*)::int AS "expectedBookings",
              COUNT(*) FILTER (WHERE b.checked_in_at IS NOT NULL)::int AS "arrivedBookings"
         FROM bookings b WHERE b.slot_id = $1 AND b.status = 'confirmed'`,
      [slotId],
    );
    return row;
  }

  /** The slot's waiting list in arrival order. */
  listWaitlisted(slotId: string, manager: EntityManager): Promise<Booking[]> {
    return this.sql<Booking>(
      manager,
      `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE b.slot_id = $1 AND b.status = 'waitlisted' ORDER BY b.sequence`,
      [slotId],
    );
  }

  /** Moves these waitlisted bookings to confirmed (the caller has already taken their seats). */
  confirmWaitlisted(ids: string[], at: Date, manager: EntityManager): Promise<Booking[]> {
    return this.sql<Booking>(
      manager,
      `UPDATE bookings AS b SET status = 'confirmed', confirmed_at = $2, updated_at = now()
        WHERE b.id = ANY($1::uuid[]) AND b.status = 'waitlisted'
       RETURNING ${BOOKING_COLUMNS}`,
      [ids, at],
    );
  }

  /** Cancels an active booking that has not been checked in; null otherwise. */
  async cancelBooking(id: string, at: Date, manager: EntityManager): Promise<Booking | null> {
    const [row] = await this.sql<Booking>(
      manager,
      `UPDATE bookings AS b SET status = 'cancelled', cancelled_at = $2, updated_at = now()
        WHERE b.id = $1 AND b.status <> 'cancelled' AND b.checked_in_at IS NULL
       RETURNING ${BOOKING_COLUMNS}`,
      [id, at],
    );
    return row ?? null;
  }

  /** Records the arrival once; null when the booking is not confirmed or was already checked in. */
  /**
   * The arrival in one statement: finds the booking (by id or by its check-in code's hash) with its
   * slot, records the arrival if it is confirmed and not yet arrived, and writes the audit entry of
   * that arrival with it; the caller decides from the row what to answer. The row lock makes a
   * second desk scanning the same code wait for the first and then read the row as the first left
   * it (READ COMMITTED re-reads a locked row that changed), so both answer the one arrival.
   */
  async checkIn(
    booking: { id: string } | { checkInCodeHash: string },
    at: Date,
    audit: Omit<AuditColumns, 'entityId'>,
  ): Promise<CheckedInBooking | null> {
    const [row] = await this.sql<CheckedInBooking>(
      undefined,
      `WITH found AS (
         SELECT ${BOOKING_COLUMNS}, s.starts_at AS "slotStartsAt", s.ends_at AS "slotEndsAt"
           FROM bookings b JOIN visit_slots s ON s.id = b.slot_id
          WHERE ${'id' in booking ? 'b.id = $1::uuid' : 'b.check_in_code_hash = $1'}
            FOR NO KEY UPDATE OF b
       ), arrived AS (
         UPDATE bookings AS b SET checked_in_at = $2, updated_at = now()
           FROM found WHERE b.id = found.id AND found.status = 'confirmed' AND found."checkedInAt" IS NULL
         RETURNING b.id, b.checked_in_at
       ), audited AS (
         ${AUDIT_INSERT} SELECT $3, $4, $5, $6, arrived.id::text, $7::jsonb, $8::jsonb FROM arrived
       )
       SELECT found.*, arrived.checked_in_at AS "arrivedAt" FROM found LEFT JOIN arrived ON arrived.id = found.id`,
      [
        'id' in booking ? booking.id : booking.checkInCodeHash,
        at,
        audit.actorId,
        audit.actorEmail,
        audit.action,
        audit.entityType,
        audit.before && JSON.stringify(audit.before),
        audit.after && JSON.stringify(audit.after),
      ],
    );
    return row ? { ...row, checkedInAt: row.arrivedAt ?? row.checkedInAt } : null;
  }

  async listBookings(
    filter: BookingFilter,
    limit: number | null,
    offset: number,
  ): Promise<[BookingWithSlot[], number]> {
    const conditions = ['s.ceremony_id = $1'];
    const params: unknown[] = [filter.ceremonyId];
    if (filter.status) {
      params.push(filter.status);
      conditions.push(`b.status = $${params.length}`);
    }
    if (filter.slotId) {
      params.push(filter.slotId);
      conditions.push(`b.slot_id = $${params.length}`);
    }
    if (filter.text) {
      // Reads only this edition's bookings (through its slots), so the scan is bounded by one edition.
      params.push(containsPattern(filter.text));
      conditions.push(
        `(b.name ILIKE $${params.length} OR b.email ILIKE $${params.length} OR b.group_name ILIKE $${params.length})`,
      );
    }
    const where = conditions.join(' AND ');
    const [{ total }] = await this.sql<{ total: number }>(
      undefined,
      `SELECT COUNT(*)::int AS total FROM bookings b JOIN visit_slots s ON s.id = b.slot_id WHERE ${where}`,
      params,
    );
    const rows = await this.sql<BookingWithSlot>(
      undefined,
      `SELECT ${BOOKING_COLUMNS}, s.starts_at AS "slotStartsAt", s.ends_at AS "slotEndsAt"
         FROM bookings b JOIN visit_slots s ON s.id = b.slot_id
        WHERE ${where}
        ORDER BY s.starts_at, s.id, b.sequence
        LIMIT ${limit === null ? 'ALL' : `$${params.length + 1}`} OFFSET $${params.length + (limit === null ? 1 : 2)}`,
      limit === null ? [...params, offset] : [...params, limit, offset],
    );
    return [rows, total];
  }

  // ---- edition plan ----

  /**
   * Copies the slot pattern of one edition into another: same local times on the new date (the
   * day offset from the edition date is kept), same capacity, nothing booked. Does nothing when
   * the target already has slots, so a retried copy does not duplicate them.
   */
  async copySlotPattern(
    from: { id: string; date: string; timeZone: string },
    to: { id: string; date: string; timeZone: string },
    manager: EntityManager,
  ): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      manager,
      `INSERT INTO visit_slots (ceremony_id, starts_at, ends_at, capacity)
       SELECT $1,
              ((s.starts_at AT TIME ZONE $3) + ($5::date - $4::date) * interval '1 day') AT TIME ZONE $6,
              ((s.ends_at AT TIME ZONE $3) + ($5::date - $4::date) * interval '1 day') AT TIME ZONE $6,
              s.capacity
         FROM visit_slots s
        WHERE s.ceremony_id = $2
          AND NOT EXISTS (SELECT 1 FROM visit_slots existing WHERE existing.ceremony_id = $1)
        ORDER BY s.starts_at
       RETURNING id`,
      [to.id, from.id, from.timeZone, from.date, to.date, to.timeZone],
    );
    return rows.length;
  }

  /**
   * Moves every slot of an edition by the wall-clock distance between the old and the new local
   * start (date and start time), read in the old zone and written in the new one.
   */
  async shiftSlots(
    ceremonyId: string,
    before: { localStart: string; timeZone: string },
    after: { localStart: string; timeZone: string },
    manager: EntityManager,
  ): Promise<number> {
    const rows = await this.sql<{ id: string }>(
      manager,
      `UPDATE visit_slots
          SET starts_at = ((starts_at AT TIME ZONE $2) + ($4::timestamp - $3::timestamp)) AT TIME ZONE $5,
              ends_at = ((ends_at AT TIME ZONE $2) + ($4::timestamp - $3::timestamp)) AT TIME ZONE $5,
              updated_at = now()
        WHERE ceremony_id = $1
       RETURNING id`,
      [ceremonyId, before.timeZone, before.localStart, after.localStart, after.timeZone],
    );
    return rows.length;
  }
}
