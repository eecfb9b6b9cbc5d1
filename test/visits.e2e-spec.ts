import { parse } from 'csv-parse/sync';
import * as nodeIcal from 'node-ical';
import { DataSource } from 'typeorm';
import { CeremonyDependents } from '../src/ceremonies/ceremony-dependents';
import { Ceremony } from '../src/ceremonies/ceremony.entity';
import { FixedClock } from '../src/common/clock';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { Jobs } from '../src/jobs/jobs.service';
import { formatDateTime } from '../src/common/i18n';
import { VISIT_MAIL } from '../src/visits/visit-mailer';
import { createTestApp, TestApp } from './support/app';
import { CeremonyFixture, insertCeremony } from './support/factories';

interface SlotBody {
  id: string;
  ceremonyId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  booked: number;
  remaining: number;
  waitlisted: number;
}
interface BookingCreated {
  id: string;
  status: 'confirmed' | 'waitlisted';
  manageUrl: string;
}
interface BookingRow {
  id: string;
  status: string;
  partySize: number;
  sequence: number;
  email: string;
  slotId: string;
}

const NOW = new Date('2027-01-15T08:00:00Z');

describe('Memorial visits', () => {
  let t: TestApp;
  let ceremony: CeremonyFixture;
  let organizer: { Authorization: string };
  let hour = 0;

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW) });
    ceremony = await insertCeremony(t.db, { year: 2027 });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  /** A fresh slot on the ceremony day, one hour after the previous one. */
  async function createSlot(capacity: number, ceremonyId = ceremony.id): Promise<SlotBody> {
    hour += 1;
    const start = new Date(Date.UTC(2027, 1, 26, 0, 0) + hour * 3_600_000);
    const response = await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(), capacity })
      .expect(201);
    return response.body as SlotBody;
  }

  function book(slotId: string, body: Record<string, unknown>) {
    return t.http.post(`/visit-slots/${slotId}/bookings`).send({ name: 'Visitor', partySize: 1, ...body });
  }

  async function bookOk(slotId: string, body: Record<string, unknown>): Promise<BookingCreated> {
    const response = await book(slotId, body).expect(201);
    return response.body as BookingCreated;
  }

  const tokenOf = (booking: BookingCreated) => new URL(booking.manageUrl).searchParams.get('token')!;

  async function slotRow(
    slotId: string,
  ): Promise<{ booked: number; capacity: number; confirmed: number; minWaiting: number | null }> {
    const [row] = await t.db.query<{ booked: number; capacity: number; confirmed: number; min_waiting: number | null }>(
      `SELECT s.booked, s.capacity,
              COALESCE(SUM(b.party_size) FILTER (WHERE b.status = 'confirmed'), 0)::int AS confirmed,
              MIN(b.party_size) FILTER (WHERE b.status = 'waitlisted') AS min_waiting
         FROM visit_slots s LEFT JOIN bookings b ON b.slot_id = s.id WHERE s.id = $1 GROUP BY s.id`,
      [slotId],
    );
    return { booked: row.booked, capacity: row.capacity, confirmed: row.confirmed, minWaiting: row.min_waiting };
  }

  async function bookingsOf(slotId: string, status?: string): Promise<BookingRow[]> {
    const response = await t.http
      .get(`/ceremonies/${ceremony.id}/bookings`)
      .query({ slotId, limit: 500, ...(status ? { status } : {}) })
      .set(organizer)
      .expect(200);
    return (response.body as { items: BookingRow[] }).items;
  }

  describe('slots', () => {
    it('should create one slot and list it publicly with capacity, booked, remaining and waitlisted', async () => {
      const slot = await createSlot(40);
      expect(slot).toMatchObject({ ceremonyId: ceremony.id, capacity: 40, booked: 0, remaining: 40, waitlisted: 0 });
      const list = await t.http.get(`/ceremonies/${ceremony.id}/visit-slots`).expect(200);
      expect((list.body as SlotBody[]).find((item) => item.id === slot.id)).toMatchObject({
        capacity: 40,
        booked: 0,
        remaining: 40,
        waitlisted: 0,
      });
    });

    it('should generate a series from local HH:mm on the ceremony date and skip starts it already has when re-sent', async () => {
      const other = await insertCeremony(t.db, { year: 2031, timeZone: 'Asia/Baku' });
      const body = { from: '09:00', to: '12:00', everyMinutes: 30, durationMinutes: 30, capacity: 25 };
      const created = await t.http.post(`/ceremonies/${other.id}/visit-slots`).set(organizer).send(body).expect(201);
      const slots = created.body as SlotBody[];
      expect(slots.map((slot) => slot.startsAt)).toEqual(
        ['05:00', '05:30', '06:00', '06:30', '07:00', '07:30'].map((time) => `2031-02-26T${time}:00.000Z`),
      );
      expect(
        slots.every(
          (slot) =>
            slot.capacity === 25 && new Date(slot.endsAt).getTime() - new Date(slot.startsAt).getTime() === 30 * 60_000,
        ),
      ).toBe(true);
      const again = await t.http.post(`/ceremonies/${other.id}/visit-slots`).set(organizer).send(body).expect(201);
      expect(again.body).toEqual([]);
      const list = await t.http.get(`/ceremonies/${other.id}/visit-slots`).expect(200);
      expect((list.body as SlotBody[]).map((slot) => slot.startsAt)).toEqual(slots.map((slot) => slot.startsAt));
      const [{ audits }] = await t.db.query<{ audits: number }>(
        `SELECT COUNT(*)::int AS audits FROM audit_log WHERE action = 'visit_slot.generate' AND entity_id = $1`,
        [other.id],
      );
      expect(audits).toBe(2);
    });

    it('should refuse bad slot input with a 400 naming the field, and an unknown ceremony with 404', async () => {
      const url = `/ceremonies/${ceremony.id}/visit-slots`;
      const backwards = await t.http
        .post(url)
        .set(organizer)
        .send({ startsAt: '2027-02-26T10:00:00+04:00', endsAt: '2027-02-26T09:00:00+04:00', capacity: 5 })
        .expect(400);
      expect(JSON.stringify(backwards.body.message)).toContain('endsAt');
      const noCapacity = await t.http
        .post(url)
        .set(organizer)
        .send({ startsAt: '2027-02-26T10:00:00+04:00', endsAt: '2027-02-26T11:00:00+04:00', capacity: 0 })
        .expect(400);
      expect(JSON.stringify(noCapacity.body.message)).toContain('capacity');
      const noOffset = await t.http
        .post(url)
        .set(organizer)
        .send({ startsAt: '2027-02-26T10:00:00', endsAt: '2027-02-26T11:00:00+04:00', capacity: 5 })
        .expect(400);
      expect(JSON.stringify(noOffset.body.message)).toContain('startsAt');
      const tooMany = await t.http
        .post(url)
        .set(organizer)
        .send({
          from: '2027-02-24T00:00:00+04:00',
          to: '2027-02-28T00:00:00+04:00',
          everyMinutes: 5,
          durationMinutes: 5,
          capacity: 5,
        })
        .expect(400);
      expect(JSON.stringify(tooMany.body.message)).toContain('at most 500');
      const mixed = await t.http
        .post(url)
        .set(organizer)
        .send({
          startsAt: '2027-02-26T10:00:00+04:00',
          from: '09:00',
          to: '10:00',
          everyMinutes: 30,
          durationMinutes: 30,
          capacity: 5,
        })
        .expect(400);
      expect(JSON.stringify(mixed.body.message)).toContain('not both');
      await t.http
        .post(url)
        .set(organizer)
        .send({ from: '09:00', to: '12:00', everyMinutes: 30, capacity: 5 })
        .expect(400);
      await t.http
        .post(url)
        .send({ startsAt: '2027-02-26T10:00:00+04:00', endsAt: '2027-02-26T11:00:00+04:00', capacity: 5 })
        .expect(401);
      await t.http
        .post('/ceremonies/00000000-0000-4000-8000-000000000000/visit-slots')
        .set(organizer)
        .send({ startsAt: '2027-02-26T10:00:00+04:00', endsAt: '2027-02-26T11:00:00+04:00', capacity: 5 })
        .expect(404);
      const [{ slots }] = await t.db.query<{ slots: number }>(
        `SELECT COUNT(*)::int AS slots FROM visit_slots WHERE capacity = 5`,
      );
      expect(slots).toBe(0);
    });

    it('should not list or book the slots of a draft edition', async () => {
      const draft = await insertCeremony(t.db, { year: 2032, status: 'draft' });
      const slot = await createSlot(10, draft.id);
      await t.http.get(`/ceremonies/${draft.id}/visit-slots`).expect(404);
      await book(slot.id, { email: 'draft@example.org' }).expect(404);
    });
  });

  describe('booking under concurrency', () => {
    it('should never put more than capacity people in a slot, fill every seat that can be filled, and keep the waitlist in arrival order', async () => {
      const slot = await createSlot(50);
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          book(slot.id, {
            name: `Visitor ${index}`,
            email: `crowd${index}@example.org`,
            partySize: 1 + (index % 3),
            waitlist: true,
          }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 200 }, () => 201));

      const row = await slotRow(slot.id);
      expect(row.booked).toBe(row.confirmed);
      expect(row.booked).toBeLessThanOrEqual(50);
      // Parties of one are waiting too, so every seat must be taken.
      expect(row.minWaiting).not.toBeNull();
      expect(50 - row.booked).toBeLessThan(row.minWaiting!);
      expect(row.booked).toBe(50);

      const list = await t.http.get(`/ceremonies/${ceremony.id}/visit-slots`).expect(200);
      const listed = (list.body as SlotBody[]).find((item) => item.id === slot.id)!;
      const waiting = await bookingsOf(slot.id, 'waitlisted');
      expect(listed).toMatchObject({
        capacity: 50,
        booked: 50,
        remaining: 0,
        waitlisted: waiting.reduce((sum, booking) => sum + booking.partySize, 0),
      });
      const confirmedCount = responses.filter(
        (response) => (response.body as BookingCreated).status === 'confirmed',
      ).length;
      expect(confirmedCount + waiting.length).toBe(200);

      // A party of two cancels: the earliest waiting parties that fit move up, larger ones are skipped.
      const byEmail = new Map(
        responses.map((response, index) => [`crowd${index}@example.org`, response.body as BookingCreated]),
      );
      const confirmed = await bookingsOf(slot.id, 'confirmed');
      const leaving = confirmed.find((booking) => booking.partySize === 2)!;
      let free = 2;
      const expected: string[] = [];
      for (const booking of waiting) {
        if (booking.partySize <= free) {
          expected.push(booking.id);
          free -= booking.partySize;
        }
      }
      const cancelled = await t.http.delete(`/bookings/manage/${tokenOf(byEmail.get(leaving.email)!)}`).expect(200);
      expect(cancelled.body).toMatchObject({ id: leaving.id, status: 'cancelled' });
      const nowConfirmed = new Set((await bookingsOf(slot.id, 'confirmed')).map((booking) => booking.id));
      expect(expected.every((id) => nowConfirmed.has(id))).toBe(true);
      expect(waiting.filter((booking) => nowConfirmed.has(booking.id)).map((booking) => booking.id)).toEqual(expected);
      const after = await slotRow(slot.id);
      expect(after).toMatchObject({ booked: 50, confirmed: 50 });
    });

    it('should promote in order, skipping a party that does not fit, and mail who moved up', async () => {
      const slot = await createSlot(4);
      const holder = await bookOk(slot.id, { email: 'holder@example.org', partySize: 3 });
      await bookOk(slot.id, { email: 'single@example.org', partySize: 1 });
      const big = await bookOk(slot.id, { email: 'big@example.org', partySize: 4, waitlist: true });
      const pair = await bookOk(slot.id, { email: 'pair@example.org', partySize: 2, waitlist: true });
      const one = await bookOk(slot.id, { email: 'one@example.org', partySize: 1, waitlist: true, locale: 'en' });
      const lastOne = await bookOk(slot.id, { email: 'last@example.org', partySize: 1, waitlist: true });
      expect([big.status, pair.status, one.status, lastOne.status]).toEqual([
        'waitlisted',
        'waitlisted',
        'waitlisted',
        'waitlisted',
      ]);

      await t.http.delete(`/bookings/manage/${tokenOf(holder)}`).expect(200);
      const status = async (booking: BookingCreated) =>
        ((await t.http.get(`/bookings/manage/${tokenOf(booking)}`).expect(200)).body as { status: string }).status;
      // 3 seats free: the party of 4 does not fit and keeps its place; 2 + 1 move up; the last single waits.
      expect(await status(big)).toBe('waitlisted');
      expect(await status(pair)).toBe('confirmed');
      expect(await status(one)).toBe('confirmed');
      expect(await status(lastOne)).toBe('waitlisted');
      expect(await slotRow(slot.id)).toMatchObject({ booked: 4, confirmed: 4 });

      // Earlier tests may have left many messages queued: let the queue drain before waiting on the sink.
      await t.app.get(JobsQueue).runner.settled();
      await t.smtp.waitFor(
        (mails) => mails.filter((mail) => mail.envelopeTo.includes('one@example.org')).length === 2,
        10_000,
        'promotion mail',
      );
      const promotion = t.smtp
        .to('one@example.org')
        .find((mail) => mail.parsed.subject?.startsWith('A place has become free'));
      expect(promotion).toBeDefined();
      expect(promotion!.parsed.attachments.map((attachment) => attachment.filename).sort()).toEqual([
        'qr.png',
        'visit.ics',
      ]);
    });

    it('should keep booked equal to the confirmed people when cancellations, promotions, capacity changes and bookings race', async () => {
      const slot = await createSlot(10);
      const confirmed = await Promise.all(
        Array.from({ length: 5 }, (_, index) => bookOk(slot.id, { email: `race${index}@example.org`, partySize: 2 })),
      );
      const waiting = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          bookOk(slot.id, { email: `racewait${index}@example.org`, partySize: 1 + (index % 3), waitlist: true }),
        ),
      );
      expect(waiting.every((booking) => booking.status === 'waitlisted')).toBe(true);

      const results = await Promise.all([
        ...confirmed.map((booking) => t.http.delete(`/bookings/manage/${tokenOf(booking)}`)),
        ...waiting.slice(0, 2).map((booking) => t.http.delete(`/bookings/manage/${tokenOf(booking)}`)),
        t.http.patch(`/visit-slots/${slot.id}`).set(organizer).send({ capacity: 14 }),
        ...Array.from({ length: 6 }, (_, index) =>
          book(slot.id, { email: `racenew${index}@example.org`, partySize: 1 + (index % 3), waitlist: true }),
        ),
        // The same booking cancelled twice at once: one cancellation, one idempotent answer.
        t.http.delete(`/bookings/manage/${tokenOf(confirmed[0])}`),
      ]);
      expect(results.map((response) => response.status).every((code) => code === 200 || code === 201)).toBe(true);

      const row = await slotRow(slot.id);
      expect(row.capacity).toBe(14);
      expect(row.booked).toBe(row.confirmed);
      expect(row.booked).toBeLessThanOrEqual(14);
      if (row.minWaiting !== null) expect(14 - row.booked).toBeLessThan(row.minWaiting);
    });
  });

  describe('booking racing cancellation', () => {
    it('should leave no seat free while a party that fits is waiting when bookings and cancellations interleave', async () => {
      for (let round = 0; round < 2; round += 1) {
        const slot = await createSlot(20);
        const holders = await Promise.all(
          Array.from({ length: 20 }, (_, index) => bookOk(slot.id, { email: `hold${round}-${index}@example.org` })),
        );
        await Promise.all(
          holders.flatMap((holder, index) => [
            t.http.delete(`/bookings/manage/${tokenOf(holder)}`).expect(200),
            book(slot.id, { email: `late${round}-${index}@example.org`, waitlist: true }).expect(201),
          ]),
        );
        const row = await slotRow(slot.id);
        expect(row.booked).toBe(row.confirmed);
        // Every late visitor is a party of one and 20 seats were freed: nobody may still be waiting.
        expect(row.minWaiting).toBeNull();
        expect(row.booked).toBe(20);
      }
    });
  });

  describe('booking rules', () => {
    it('should answer 409 when the slot is full and the visitor did not ask for the waitlist', async () => {
      const slot = await createSlot(2);
      await bookOk(slot.id, { email: 'first@example.org', partySize: 2 });
      const full = await book(slot.id, { email: 'second@example.org', partySize: 1 }).expect(409);
      expect(full.body.message).toMatch(/^This time slot is full/);
      const [{ count }] = await t.db.query<{ count: number }>(
        `SELECT COUNT(*)::int AS count FROM bookings WHERE slot_id = $1`,
        [slot.id],
      );
      expect(count).toBe(1);
    });

    it('should refuse a second active booking of the same email in a slot, whatever the letter case, and allow it after cancelling', async () => {
      const slot = await createSlot(10);
      const first = await bookOk(slot.id, { email: 'Same@Example.org' });
      const duplicate = await book(slot.id, { email: 'same@example.ORG', partySize: 2 }).expect(409);
      expect(duplicate.body.message).toContain('already has a booking');
      expect(await slotRow(slot.id)).toMatchObject({ booked: 1 });
      await t.http.delete(`/bookings/manage/${tokenOf(first)}`).expect(200);
      await bookOk(slot.id, { email: 'same@example.org' });
    });

    it('should validate the booking body and the party size limit', async () => {
      const slot = await createSlot(100);
      const tooBig = await book(slot.id, { email: 'big-group@example.org', partySize: 21 }).expect(400);
      expect(JSON.stringify(tooBig.body.message)).toContain('partySize');
      const bad = await book(slot.id, { email: 'not-an-email', partySize: 0, locale: 'fr', extra: true }).expect(400);
      const message = JSON.stringify(bad.body.message);
      for (const field of ['email', 'partySize', 'locale', 'extra']) expect(message).toContain(field);
      await book('00000000-0000-4000-8000-000000000000', { email: 'nobody@example.org' }).expect(404);
      await book('not-a-uuid', { email: 'nobody@example.org' }).expect(400);
    });

    it('should not book a slot that has already begun', async () => {
      const slot = await createSlot(5);
      const past = await t.http
        .post(`/ceremonies/${ceremony.id}/visit-slots`)
        .set(organizer)
        .send({ startsAt: '2027-01-10T10:00:00+04:00', endsAt: '2027-01-10T11:00:00+04:00', capacity: 5 })
        .expect(201);
      const refused = await book((past.body as SlotBody).id, { email: 'late@example.org' }).expect(409);
      expect(refused.body.message).toContain('already begun');
      await bookOk(slot.id, { email: 'on-time@example.org' });
    });

    it('should keep the booking when the confirmation email cannot be sent', async () => {
      const slot = await createSlot(5);
      t.smtp.failNext(1, 550, 'Mailbox unavailable');
      const booking = await bookOk(slot.id, { email: 'bounce@example.org' });
      const view = await t.http.get(`/bookings/manage/${tokenOf(booking)}`).expect(200);
      expect(view.body.status).toBe('confirmed');
    });
  });

  describe('manage links', () => {
    it('should open only its own booking and answer any other token with the same 404', async () => {
      const slot = await createSlot(10);
      const mine = await bookOk(slot.id, {
        name: 'Aysel',
        email: 'aysel@example.org',
        partySize: 2,
        groupName: 'School No. 6',
      });
      const theirs = await bookOk(slot.id, { name: 'Rashad', email: 'rashad@example.org' });
      const view = await t.http.get(`/bookings/manage/${tokenOf(mine)}`).expect(200);
      expect(view.body).toMatchObject({
        id: mine.id,
        status: 'confirmed',
        name: 'Aysel',
        partySize: 2,
        groupName: 'School No. 6',
        slot: { id: slot.id, startsAt: slot.startsAt },
      });
      expect(JSON.stringify(view.body)).not.toContain('rashad');
      expect((await t.http.get(`/bookings/manage/${tokenOf(theirs)}`).expect(200)).body.id).toBe(theirs.id);

      const guessed = await t.http.get(`/bookings/manage/${'A'.repeat(43)}`).expect(404);
      const malformed = await t.http.get('/bookings/manage/short').expect(404);
      const byId = await t.http.get(`/bookings/manage/${mine.id}`).expect(404);
      expect(malformed.body).toEqual(guessed.body);
      expect(byId.body).toEqual(guessed.body);
      await t.http.delete(`/bookings/manage/${'B'.repeat(43)}`).expect(404);
      expect((await t.http.get(`/bookings/manage/${tokenOf(mine)}`).expect(200)).body.status).toBe('confirmed');
    });

    it('should cancel idempotently and give the seats back', async () => {
      const slot = await createSlot(3);
      const booking = await bookOk(slot.id, { email: 'twice@example.org', partySize: 3 });
      const first = await t.http.delete(`/bookings/manage/${tokenOf(booking)}`).expect(200);
      const second = await t.http.delete(`/bookings/manage/${tokenOf(booking)}`).expect(200);
      expect(first.body).toMatchObject({ id: booking.id, status: 'cancelled' });
      expect(second.body).toEqual(first.body);
      expect(await slotRow(slot.id)).toMatchObject({ booked: 0, confirmed: 0 });
    });
  });

  describe('slot edits', () => {
    it('should refuse to lower capacity below the people booked, saying how many, and promote the waitlist when raised', async () => {
      const slot = await createSlot(5);
      await bookOk(slot.id, { email: 'cap1@example.org', partySize: 3 });
      await bookOk(slot.id, { email: 'cap2@example.org', partySize: 2 });
      const waiting = await bookOk(slot.id, { email: 'cap3@example.org', partySize: 2, waitlist: true });
      expect(waiting.status).toBe('waitlisted');

      const refused = await t.http.patch(`/visit-slots/${slot.id}`).set(organizer).send({ capacity: 4 }).expect(409);
      expect(refused.body.message).toContain('5 people already booked');
      const lowered = await t.http.patch(`/visit-slots/${slot.id}`).set(organizer).send({ capacity: 5 }).expect(200);
      expect(lowered.body).toMatchObject({ capacity: 5, booked: 5, remaining: 0, waitlisted: 2 });
      await t.http.patch(`/visit-slots/${slot.id}`).set(organizer).send({ capacity: 0 }).expect(400);
      await t.http.patch(`/visit-slots/${slot.id}`).set(organizer).send({}).expect(400);
      const backwards = await t.http
        .patch(`/visit-slots/${slot.id}`)
        .set(organizer)
        .send({ endsAt: slot.startsAt })
        .expect(400);
      expect(JSON.stringify(backwards.body.message)).toContain('endsAt');

      const raised = await t.http.patch(`/visit-slots/${slot.id}`).set(organizer).send({ capacity: 8 }).expect(200);
      expect(raised.body).toMatchObject({ capacity: 8, booked: 7, remaining: 1, waitlisted: 0 });
      expect((await t.http.get(`/bookings/manage/${tokenOf(waiting)}`).expect(200)).body.status).toBe('confirmed');
      const [{ audits }] = await t.db.query<{ audits: number }>(
        `SELECT COUNT(*)::int AS audits FROM audit_log WHERE action = 'visit_slot.update' AND entity_id = $1`,
        [slot.id],
      );
      expect(audits).toBe(2);
    });

    it('should delete only a slot without active bookings', async () => {
      const slot = await createSlot(5);
      const booking = await bookOk(slot.id, { email: 'keep@example.org', partySize: 2 });
      const refused = await t.http.delete(`/visit-slots/${slot.id}`).set(organizer).expect(409);
      expect(refused.body.message).toContain('1 active booking');
      await t.http.delete(`/bookings/manage/${tokenOf(booking)}`).expect(200);
      await t.http.delete(`/visit-slots/${slot.id}`).set(organizer).expect(204);
      await t.http.delete(`/visit-slots/${slot.id}`).set(organizer).expect(404);
      const [{ count }] = await t.db.query<{ count: number }>(
        `SELECT COUNT(*)::int AS count FROM audit_log WHERE action = 'visit_slot.delete' AND entity_id = $1`,
        [slot.id],
      );
      expect(count).toBe(1);
    });
  });

  describe('organizers', () => {
    it('should check a confirmed visitor in once, and refuse cancelled and waitlisted bookings', async () => {
      const slot = await createSlot(2);
      const arriving = await bookOk(slot.id, { email: 'arrive@example.org', partySize: 2 });
      const waiting = await bookOk(slot.id, { email: 'wait@example.org', partySize: 1, waitlist: true });
      const first = await t.http.post(`/bookings/${arriving.id}/check-in`).set(organizer).expect(200);
      expect(first.body.checkedInAt).toBe(NOW.toISOString());
      const second = await t.http.post(`/bookings/${arriving.id}/check-in`).set(organizer).expect(200);
      expect(second.body.checkedInAt).toBe(first.body.checkedInAt);
      const [{ audits }] = await t.db.query<{ audits: number }>(
        `SELECT COUNT(*)::int AS audits FROM audit_log WHERE action = 'booking.check_in' AND entity_id = $1`,
        [arriving.id],
      );
      expect(audits).toBe(1);
      const lateCancel = await t.http.delete(`/bookings/manage/${tokenOf(arriving)}`).expect(409);
      expect(lateCancel.body.message).toContain('checked in');
      await t.http.post(`/bookings/${waiting.id}/check-in`).set(organizer).expect(409);
      await t.http.delete(`/bookings/manage/${tokenOf(waiting)}`).expect(200);
      const cancelled = await t.http.post(`/bookings/${waiting.id}/check-in`).set(organizer).expect(409);
      expect(cancelled.body.message).toContain('cancelled');
      await t.http.post('/bookings/00000000-0000-4000-8000-000000000000/check-in').set(organizer).expect(404);
      await t.http.post(`/bookings/${arriving.id}/check-in`).expect(401);

      const summary = await t.http.get(`/ceremonies/${ceremony.id}/visit-slots/summary`).set(organizer).expect(200);
      expect((summary.body.slots as Array<{ id: string }>).find((row) => row.id === slot.id)).toMatchObject({
        booked: 2,
        checkedIn: 2,
        waitlisted: 0,
      });
      expect(summary.body.checkedIn).toBeGreaterThanOrEqual(2);
    });

    it('should list bookings with filters and export them as CSV that parses back', async () => {
      const slot = await createSlot(10);
      await bookOk(slot.id, {
        name: 'Nigar, "Nina" Hasanova',
        email: 'csv1@example.org',
        partySize: 2,
        phone: '+994 50 000 00 00',
        groupName: '=SUM(A1)',
      });
      const second = await bookOk(slot.id, { name: 'Elvin', email: 'csv2@example.org' });
      await t.http.delete(`/bookings/manage/${tokenOf(second)}`).expect(200);

      const page = await t.http
        .get(`/ceremonies/${ceremony.id}/bookings`)
        .query({ slotId: slot.id, status: 'confirmed' })
        .set(organizer)
        .expect(200);
      expect(page.body.total).toBe(1);
      expect(page.body.items[0]).toMatchObject({ name: 'Nigar, "Nina" Hasanova', partySize: 2, status: 'confirmed' });
      const paged = await t.http
        .get(`/ceremonies/${ceremony.id}/bookings`)
        .query({ limit: 1, offset: 1 })
        .set(organizer)
        .expect(200);
      expect(paged.body.items).toHaveLength(1);
      expect(paged.body.total).toBeGreaterThan(1);

      const csv = await t.http
        .get(`/ceremonies/${ceremony.id}/bookings`)
        .query({ slotId: slot.id, format: 'csv' })
        .set(organizer)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const records = parse(csv.text, { columns: true, bom: true }) as Array<Record<string, string>>;
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({
        name: 'Nigar, "Nina" Hasanova',
        email: 'csv1@example.org',
        party_size: '2',
        status: 'confirmed',
        group_name: "'=SUM(A1)",
      });
      expect(records[1]).toMatchObject({ email: 'csv2@example.org', status: 'cancelled' });
      await t.http.get(`/ceremonies/${ceremony.id}/bookings`).expect(401);
    });
  });

  describe('confirmation email', () => {
    it("should send the confirmation in the visitor's language with the local time, the venue, the manage link and an .ics at the slot start", async () => {
      const slot = await createSlot(10);
      const booking = await bookOk(slot.id, { name: 'Ирина', email: 'irina@example.org', partySize: 2, locale: 'ru' });
      const mail = await t.smtp.waitForMailTo('irina@example.org');
      expect(mail.parsed.subject).toMatch(/^Посещение мемориала забронировано/);
      expect(mail.parsed.headers.get('content-language')).toBe('ru');
      const text = mail.parsed.text ?? '';
      expect(text).toContain(formatDateTime(new Date(slot.startsAt), 'Asia/Baku', 'ru'));
      expect(text).toContain('Asia/Baku');
      expect(text).toContain('Khojaly Genocide Memorial');
      expect(text).toContain('Число человек: 2');
      expect(text).toContain(booking.manageUrl);
      expect(booking.manageUrl).toMatch(
        /^https:\/\/commemoration\.test\/p\/visit\/manage\?token=[A-Za-z0-9_-]{43}&lang=ru$/,
      );

      const ics = mail.parsed.attachments.find((attachment) => attachment.filename === 'visit.ics');
      expect(ics?.contentType).toBe('text/calendar');
      const events = Object.values(nodeIcal.sync.parseICS(ics!.content.toString('utf8'))).filter(
        (item) => item?.type === 'VEVENT',
      ) as nodeIcal.VEvent[];
      expect(events).toHaveLength(1);
      expect(events[0].start.toISOString()).toBe(new Date(slot.startsAt).toISOString());
      expect(events[0].end?.toISOString()).toBe(new Date(slot.endsAt).toISOString());
      expect(events[0].uid).toBe(`visit-${booking.id}@commemoration.test`);
      expect(String(events[0].location)).toContain('Khojaly Genocide Memorial');
      expect(ics!.content.toString('utf8')).not.toContain(tokenOf(booking));

      const [{ hash }] = await t.db.query<{ hash: string }>(
        `SELECT manage_token_hash AS hash FROM bookings WHERE id = $1`,
        [booking.id],
      );
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).not.toContain(tokenOf(booking));
    });

    it("should fall back to the edition's first language and send a waiting-list message without a calendar", async () => {
      const slot = await createSlot(1);
      await bookOk(slot.id, { email: 'az-first@example.org' });
      await bookOk(slot.id, { email: 'az-waiting@example.org', waitlist: true });
      await t.app.get(JobsQueue).runner.settled();
      const mail = await t.smtp.waitForMailTo('az-waiting@example.org');
      expect(mail.parsed.headers.get('content-language')).toBe('az');
      expect(mail.parsed.subject).toMatch(/gözləmə siyahısındasınız/);
      expect(mail.parsed.attachments).toHaveLength(0);
    });

    it('should not send a confirmation whose booking was cancelled before its job ran, and keep the job as dropped with the reason', async () => {
      const slot = await createSlot(5);
      const booking = await bookOk(slot.id, { email: 'changed-mind@example.org' });
      await t.smtp.waitForMailTo('changed-mind@example.org');
      await t.http.delete(`/bookings/manage/${tokenOf(booking)}`).expect(200);

      // The confirmation's job as the booking wrote it, run only now.
      await t.app
        .get(Jobs)
        .enqueue(VISIT_MAIL, [{ bookingId: booking.id, kind: 'confirmed', manageUrl: booking.manageUrl }]);
      await t.app.get(JobsQueue).runner.settled();

      const jobs = await t.db.query<{ status: string; error: string; payload: Buffer | null }>(
        `SELECT status, last_error AS error, payload FROM jobs WHERE kind = $1 AND status = 'dropped' ORDER BY id DESC LIMIT 1`,
        [VISIT_MAIL],
      );
      expect(jobs).toEqual([
        { status: 'dropped', error: 'booking cancelled before its message was sent', payload: null },
      ]);
      expect(t.smtp.to('changed-mind@example.org')).toHaveLength(1);
    });

    it('should compose the same message when its job runs again (a rerun after a crash)', async () => {
      const slot = await createSlot(5);
      const booking = await bookOk(slot.id, { email: 'rerun@example.org', locale: 'en' });
      const first = await t.smtp.waitForMailTo('rerun@example.org');

      await t.app
        .get(Jobs)
        .enqueue(VISIT_MAIL, [{ bookingId: booking.id, kind: 'confirmed', manageUrl: booking.manageUrl }]);
      await t.smtp.waitFor(
        (mails) => mails.filter((mail) => mail.envelopeTo.includes('rerun@example.org')).length === 2,
        30_000,
        'second mail',
      );

      const again = t.smtp.to('rerun@example.org')[1];
      const content = (mail: typeof first) => ({
        subject: mail.parsed.subject,
        text: mail.parsed.text,
        html: mail.parsed.html,
        attachments: mail.parsed.attachments.map((attachment) => [
          attachment.filename,
          attachment.content.toString('base64'),
        ]),
      });
      expect(content(again)).toEqual(content(first));
      expect(first.parsed.text).toContain(booking.manageUrl);
    });
  });

  describe('edition plan', () => {
    it('should copy the slot pattern to next year at the same local times and move slots with a date change', async () => {
      const source = await insertCeremony(t.db, { year: 2040 });
      await t.http
        .post(`/ceremonies/${source.id}/visit-slots`)
        .set(organizer)
        .send({ from: '10:00', to: '11:00', everyMinutes: 30, durationMinutes: 30, capacity: 7 })
        .expect(201);
      const target = await insertCeremony(t.db, { year: 2041, status: 'draft' });
      const dataSource = t.app.get(DataSource);
      const load = (id: string) => dataSource.getRepository(Ceremony).findOneByOrFail({ id });
      const visits = t.app
        .get(CeremonyDependents)
        .all()
        .find((dependent) => dependent.name === 'visits')!;

      const from = await load(source.id);
      const to = await load(target.id);
      await dataSource.transaction((manager) => visits.copyToNextYear!(from, to, manager));
      await dataSource.transaction((manager) => visits.copyToNextYear!(from, to, manager));
      const copied = await t.db.query<{ starts_at: Date; capacity: number; booked: number }>(
        `SELECT starts_at, capacity, booked FROM visit_slots WHERE ceremony_id = $1 ORDER BY starts_at`,
        [target.id],
      );
      expect(copied.map((slot) => slot.starts_at.toISOString())).toEqual([
        '2041-02-26T06:00:00.000Z',
        '2041-02-26T06:30:00.000Z',
      ]);
      expect(copied.every((slot) => slot.capacity === 7 && slot.booked === 0)).toBe(true);

      const moved = { ...to, date: '2041-02-27', startTime: '11:00' } as Ceremony;
      await dataSource.transaction((manager) => visits.rescheduleAfterDateChange!(to, moved, manager));
      const shifted = await t.db.query<{ starts_at: Date }>(
        `SELECT starts_at FROM visit_slots WHERE ceremony_id = $1 ORDER BY starts_at`,
        [target.id],
      );
      // One day later and one hour later, with the start time.
      expect(shifted.map((slot) => slot.starts_at.toISOString())).toEqual([
        '2041-02-27T07:00:00.000Z',
        '2041-02-27T07:30:00.000Z',
      ]);
    });
  });
});

describe('Memorial visits rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW), env: { PUBLIC_RATE_LIMIT: '3' } });
  });
  afterAll(() => t.close());

  it('should answer the fourth public booking within a minute with 429 and Retry-After', async () => {
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    const [slot] = await t.db.query<{ id: string }>(
      `INSERT INTO visit_slots (ceremony_id, starts_at, ends_at, capacity) VALUES ($1, '2027-02-26T10:00:00+04:00', '2027-02-26T10:30:00+04:00', 50) RETURNING id`,
      [ceremony.id],
    );
    for (let index = 0; index < 3; index += 1) {
      await t.http
        .post(`/visit-slots/${slot.id}/bookings`)
        .send({ name: 'Visitor', email: `limited${index}@example.org`, partySize: 1 })
        .expect(201);
    }
    const limited = await t.http
      .post(`/visit-slots/${slot.id}/bookings`)
      .send({ name: 'Visitor', email: 'limited3@example.org', partySize: 1 })
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const [{ count }] = await t.db.query<{ count: number }>(`SELECT COUNT(*)::int AS count FROM bookings`);
    expect(count).toBe(3);
  });
});
