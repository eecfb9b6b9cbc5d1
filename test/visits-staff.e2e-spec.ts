import { FixedClock } from '../src/common/clock';
import { createTestApp, TestApp } from './support/app';
import { CeremonyFixture, insertCeremony } from './support/factories';
import { BookingCreated, visitHelpers } from './support/visits';

const NOW = new Date('2027-01-15T08:00:00Z');

/** What the staff console needs from the visits API: a preview of generated slots, search, and cancelling for a visitor. */
describe('Memorial visits for staff', () => {
  let t: TestApp;
  let ceremony: CeremonyFixture;
  let organizer: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW) });
    ceremony = await insertCeremony(t.db, { year: 2027 });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  const { createSlot, book: bookOk, tokenOf } = visitHelpers(() => ({ t, ceremonyId: ceremony.id, organizer }));
  const statusOf = async (booking: BookingCreated) =>
    ((await t.http.get(`/bookings/manage/${tokenOf(booking)}`).expect(200)).body as { status: string }).status;

  describe('slot generation preview', () => {
    it('should preview exactly the slots generating then creates, write nothing, and flag starts the edition already has', async () => {
      const other = await insertCeremony(t.db, { year: 2032, timeZone: 'Asia/Baku' });
      const body = { from: '09:00', to: '11:00', everyMinutes: 30, durationMinutes: 45, capacity: 20 };
      const preview = await t.http
        .post(`/ceremonies/${other.id}/visit-slots/preview`)
        .set(organizer)
        .send(body)
        .expect(200);
      // The last slot must end by 11:00: starts 09:00, 09:30, 10:00 (10:00 + 45 min = 10:45); 10:30 would end at 11:15.
      expect(preview.body).toEqual({
        create: 3,
        skip: 0,
        slots: ['05:00', '05:30', '06:00'].map((time) => ({
          startsAt: `2032-02-26T${time}:00.000Z`,
          endsAt: new Date(new Date(`2032-02-26T${time}:00.000Z`).getTime() + 45 * 60_000).toISOString(),
          capacity: 20,
          exists: false,
        })),
      });
      const [{ count }] = await t.db.query<{ count: number }>(
        `SELECT COUNT(*)::int AS count FROM visit_slots WHERE ceremony_id = $1`,
        [other.id],
      );
      expect(count).toBe(0);

      const created = await t.http.post(`/ceremonies/${other.id}/visit-slots`).set(organizer).send(body).expect(201);
      expect(
        (created.body as Array<{ startsAt: string; endsAt: string }>).map(({ startsAt, endsAt }) => ({
          startsAt,
          endsAt,
        })),
      ).toEqual(
        (preview.body.slots as Array<{ startsAt: string; endsAt: string }>).map(({ startsAt, endsAt }) => ({
          startsAt,
          endsAt,
        })),
      );

      const wider = await t.http
        .post(`/ceremonies/${other.id}/visit-slots/preview`)
        .set(organizer)
        .send({ ...body, to: '12:00' })
        .expect(200);
      expect(wider.body).toMatchObject({ create: 2, skip: 3 });
      expect((wider.body.slots as Array<{ exists: boolean }>).map((slot) => slot.exists)).toEqual([
        true,
        true,
        true,
        false,
        false,
      ]);
    });

    it('should refuse a preview by the same checks as generating, and without a staff token', async () => {
      const url = `/ceremonies/${ceremony.id}/visit-slots/preview`;
      const backwards = await t.http
        .post(url)
        .set(organizer)
        .send({ from: '12:00', to: '09:00', everyMinutes: 30, durationMinutes: 30, capacity: 5 })
        .expect(400);
      expect(JSON.stringify(backwards.body.message)).toContain('to must be after from');
      const tooMany = await t.http
        .post(url)
        .set(organizer)
        .send({
          from: '2027-02-26T00:00:00Z',
          to: '2027-02-28T00:00:00Z',
          everyMinutes: 5,
          durationMinutes: 5,
          capacity: 5,
        })
        .expect(400);
      expect(JSON.stringify(tooMany.body.message)).toContain('This would create');
      const single = await t.http
        .post(url)
        .set(organizer)
        .send({ startsAt: '2027-02-26T10:00:00+04:00', endsAt: '2027-02-26T10:30:00+04:00', capacity: 5 })
        .expect(400);
      expect(JSON.stringify(single.body.message)).toContain('series');
      const noCapacity = await t.http
        .post(url)
        .set(organizer)
        .send({ from: '09:00', to: '10:00', everyMinutes: 30, durationMinutes: 30 })
        .expect(400);
      expect(noCapacity.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'capacity' })]));
      await t.http
        .post('/ceremonies/00000000-0000-4000-8000-000000000000/visit-slots/preview')
        .set(organizer)
        .send({ from: '09:00', to: '10:00', everyMinutes: 30, durationMinutes: 30, capacity: 5 })
        .expect(404);
      await t.http
        .post(url)
        .send({ from: '09:00', to: '10:00', everyMinutes: 30, durationMinutes: 30, capacity: 5 })
        .expect(401);
    });
  });

  describe('slot edits the console shows refused', () => {
    it("should refuse a capacity below what is booked with a code and the number, in the reader's language, and a slot with bookings with a code", async () => {
      const slot = await createSlot(5);
      await bookOk(slot.id, { email: 'held.capacity@example.org', partySize: 3 });
      const english = await t.http
        .patch(`/visit-slots/${slot.id}`)
        .set(organizer)
        .set('Accept-Language', 'en')
        .send({ capacity: 2 })
        .expect(409);
      expect(english.body.errors).toEqual([
        {
          field: 'capacity',
          code: 'capacity_below_booked',
          message: 'Capacity cannot be lowered below the 3 people already booked in this time slot',
          params: { booked: 3 },
        },
      ]);
      const azerbaijani = await t.http
        .patch(`/visit-slots/${slot.id}`)
        .set(organizer)
        .set('Accept-Language', 'az')
        .send({ capacity: 2 })
        .expect(409);
      expect(azerbaijani.body.errors[0].message).toBe('Tutum bu vaxta artıq yazılmış 3 nəfərdən az ola bilməz');
      const kept = await t.http.delete(`/visit-slots/${slot.id}`).set(organizer).expect(409);
      expect(kept.body.errors).toEqual([expect.objectContaining({ code: 'slot_has_bookings' })]);
    });
  });

  describe('booking search', () => {
    it('should find bookings by part of the name, email or group in any letter case, with the other filters', async () => {
      const slot = await createSlot(20);
      await bookOk(slot.id, { name: 'Günay Məmmədova', email: 'gunay.search@example.org', groupName: 'School No. 6' });
      await bookOk(slot.id, {
        name: 'Rashad Quliyev',
        email: 'rashad.search@example.org',
        groupName: 'Veterans 100% union',
      });
      const cancelled = await bookOk(slot.id, { name: 'Rashad Other', email: 'other.search@example.org' });
      await t.http.delete(`/bookings/manage/${tokenOf(cancelled)}`).expect(200);

      const find = async (query: Record<string, string>) => {
        const response = await t.http
          .get(`/ceremonies/${ceremony.id}/bookings`)
          .query({ slotId: slot.id, ...query })
          .set(organizer)
          .expect(200);
        return {
          total: response.body.total as number,
          emails: (response.body.items as Array<{ email: string }>).map((item) => item.email),
        };
      };
      expect(await find({ q: 'RASHAD' })).toEqual({
        total: 2,
        emails: ['rashad.search@example.org', 'other.search@example.org'],
      });
      expect(await find({ q: 'rashad', status: 'confirmed' })).toEqual({
        total: 1,
        emails: ['rashad.search@example.org'],
      });
      expect(await find({ q: 'gunay.search@' })).toEqual({ total: 1, emails: ['gunay.search@example.org'] });
      expect(await find({ q: 'school no. 6' })).toEqual({ total: 1, emails: ['gunay.search@example.org'] });
      // % and _ are letters here, not wildcards.
      expect(await find({ q: '100%' })).toEqual({ total: 1, emails: ['rashad.search@example.org'] });
      expect(await find({ q: '%' })).toEqual({ total: 1, emails: ['rashad.search@example.org'] });
      expect(await find({ q: 'nobody-like-this' })).toEqual({ total: 0, emails: [] });

      const csv = await t.http
        .get(`/ceremonies/${ceremony.id}/bookings`)
        .query({ slotId: slot.id, q: 'rashad', status: 'confirmed', format: 'csv' })
        .set(organizer)
        .expect(200);
      expect(csv.text).toContain('rashad.search@example.org');
      expect(csv.text).not.toContain('other.search@example.org');
      expect(csv.text).not.toContain('gunay.search@example.org');

      const tooLong = await t.http
        .get(`/ceremonies/${ceremony.id}/bookings`)
        .query({ q: 'x'.repeat(101) })
        .set(organizer)
        .expect(400);
      expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'q' })]);
    });
  });

  describe('cancelling for a visitor', () => {
    it('should cancel a confirmed booking, move the waiting list up, mail who moved up and record who cancelled', async () => {
      const slot = await createSlot(2);
      const caller = await bookOk(slot.id, { email: 'caller@example.org', partySize: 2 });
      const waiting = await bookOk(slot.id, {
        email: 'moved-up@example.org',
        partySize: 2,
        waitlist: true,
        locale: 'en',
      });
      expect(waiting.status).toBe('waitlisted');

      const answer = await t.http.post(`/bookings/${caller.id}/cancel`).set(organizer).expect(200);
      expect(answer.body).toMatchObject({
        id: caller.id,
        status: 'cancelled',
        cancelledAt: NOW.toISOString(),
        slotId: slot.id,
      });
      expect(await statusOf(waiting)).toBe('confirmed');
      const summary = await t.http.get(`/ceremonies/${ceremony.id}/visit-slots/summary`).set(organizer).expect(200);
      expect((summary.body.slots as Array<{ id: string }>).find((row) => row.id === slot.id)).toMatchObject({
        booked: 2,
        waitlisted: 0,
      });

      await t.smtp.waitFor(
        (mails) =>
          mails.some(
            (mail) =>
              mail.envelopeTo.includes('moved-up@example.org') &&
              mail.parsed.subject?.startsWith('A place has become free'),
          ),
        10_000,
        'promotion mail',
      );

      const [audit] = await t.db.query<{ actor_id: string | null; after: { promotedBookingIds: string[] } }>(
        `SELECT actor_id, after FROM audit_log WHERE action = 'booking.cancel' AND entity_id = $1`,
        [caller.id],
      );
      expect(audit.actor_id).not.toBeNull();
      expect(audit.after.promotedBookingIds).toEqual([waiting.id]);

      // Asked twice (a double click, a retry): the same answer, nothing more moves or is recorded.
      const again = await t.http.post(`/bookings/${caller.id}/cancel`).set(organizer).expect(200);
      expect(again.body).toMatchObject({ status: 'cancelled', cancelledAt: NOW.toISOString() });
      const [{ audits }] = await t.db.query<{ audits: number }>(
        `SELECT COUNT(*)::int AS audits FROM audit_log WHERE action = 'booking.cancel' AND entity_id = $1`,
        [caller.id],
      );
      expect(audits).toBe(1);
    });

    it('should refuse to cancel a checked-in visit, answer 404 for an unknown booking and 401 without a staff token', async () => {
      const slot = await createSlot(2);
      const arrived = await bookOk(slot.id, { email: 'arrived.cancel@example.org' });
      await t.http.post(`/bookings/${arrived.id}/check-in`).set(organizer).expect(200);
      const refused = await t.http.post(`/bookings/${arrived.id}/cancel`).set(organizer).expect(409);
      expect(refused.body.errors).toEqual([expect.objectContaining({ code: 'already_checked_in' })]);
      await t.http.post('/bookings/00000000-0000-4000-8000-000000000000/cancel').set(organizer).expect(404);
      await t.http.post(`/bookings/${arrived.id}/cancel`).expect(401);
      await t.http.post('/bookings/not-a-uuid/cancel').set(organizer).expect(400);
    });
  });
});
