import jsQR from 'jsqr';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { FixedClock } from '../src/common/clock';
import { RateLimits } from '../src/common/rate-limit.service';
import { createTestApp, TestApp } from './support/app';
import { eventually } from './support/eventually';
import { CeremonyFixture, insertCeremony } from './support/factories';
import { BookingCreated, visitHelpers } from './support/visits';
import type { ReceivedMail } from './support/smtp-sink';

// pngjs comes with qrcode and has no type declarations of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

const NOW = new Date('2027-01-15T08:00:00Z');

/** What a real QR decoder reads from a PNG. */
function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const result = jsQR(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
  if (!result) throw new Error('No QR code found in the image');
  return result.data;
}

function qrOf(mail: ReceivedMail): Buffer {
  const image = mail.parsed.attachments.find((attachment) => attachment.contentType === 'image/png');
  if (!image) throw new Error('The mail has no PNG attachment');
  expect(image.filename).toBe('qr.png');
  return image.content;
}

describe('Check-in by QR code', () => {
  let t: TestApp;
  let ceremony: CeremonyFixture;
  let organizer: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW) });
    ceremony = await insertCeremony(t.db, { year: 2027 });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  const { createSlot, book, tokenOf } = visitHelpers(() => ({ t, ceremonyId: ceremony.id, organizer }));

  it('should put a QR image in the confirmation mail that checks the party in once and opens nothing else', async () => {
    const slot = await createSlot(10);
    const booking = await book(slot.id, { name: 'Leyla Aliyeva', email: 'qr@example.org', partySize: 3, locale: 'en' });
    const mail = await t.smtp.waitForMailTo('qr@example.org', 20_000);
    const code = decodeQr(qrOf(mail));
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(code).not.toBe(tokenOf(booking));
    // The HTML names the attached image (an <img> beside so few words looks like image-only spam to filters);
    // the text part carries the code for anyone who cannot show the image.
    expect(mail.parsed.html).toContain('qr.png');
    expect(mail.parsed.html).not.toContain('<img');
    expect(mail.parsed.text).toContain(code);

    // The code is no manage token.
    await t.http.get(`/bookings/manage/${code}`).expect(404);
    await t.http.get(`/bookings/manage/${code}/export`).expect(404);
    await t.http.delete(`/bookings/manage/${code}`).expect(404);

    // The desk may also send the code inside a console URL.
    const first = await t.http
      .post('/check-in')
      .set(organizer)
      .send({ code: `https://commemoration.test/console/check-in?code=${code}` })
      .expect(200);
    const body = first.body as {
      id: string;
      name: string;
      partySize: number;
      status: string;
      slotStartsAt: string;
      slotEndsAt: string;
      checkedInAt: string;
      firstScan: boolean;
    };
    expect(body).toMatchObject({
      id: booking.id,
      name: 'Leyla Aliyeva',
      partySize: 3,
      status: 'confirmed',
      firstScan: true,
    });
    expect(body.slotStartsAt).toBeDefined();
    expect(body.slotEndsAt).toBeDefined();
    expect(body.checkedInAt).toBeDefined();

    const second = await t.http.post('/check-in').set(organizer).send({ code }).expect(200);
    expect(second.body).toMatchObject({ id: booking.id, firstScan: false, checkedInAt: body.checkedInAt });

    // The booking itself is unchanged but for the arrival; the manage link still works.
    const managed = await t.http.get(`/bookings/manage/${tokenOf(booking)}`).expect(200);
    expect(managed.body).toMatchObject({ status: 'confirmed', checkedIn: true });
    const audit = await t.db.query<{ count: number }>(
      `SELECT COUNT(*)::int AS count FROM audit_log WHERE action = 'booking.check_in' AND entity_id = $1`,
      [booking.id],
    );
    expect(audit[0].count).toBe(1);
  });

  it('should check a party in once when two desks scan its code at the same instant, and answer both with that arrival', async () => {
    const slot = await createSlot(4);
    const booking = await book(slot.id, { email: 'two-desks@example.org', partySize: 2 });
    const code = decodeQr(qrOf(await t.smtp.waitForMailTo('two-desks@example.org', 20_000)));
    // Holding the booking's row makes both scans wait on it, each having read the booking before the
    // other decides: the worst interleaving of two desks, every time.
    const holder = new Client({ connectionString: t.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM bookings WHERE id = $1 FOR UPDATE', [booking.id]);
      const scans = Promise.all(
        [1, 2].map(() =>
          t.http
            .post('/check-in')
            .set(organizer)
            .send({ code })
            .then((response) => response),
        ),
      );
      await eventually(
        () =>
          t.db.query<{ waiting: number }>(
            `SELECT COUNT(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          ),
        ([row]) => row.waiting === 2,
        30_000,
        'both scans waiting on the booking',
      );
      await holder.query('COMMIT');
      const answers = await scans;
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      const bodies = answers.map((answer) => answer.body as { id: string; firstScan: boolean; checkedInAt: string });
      expect(bodies.map((body) => body.firstScan).sort()).toEqual([false, true]);
      expect(bodies[0].checkedInAt).not.toBeNull();
      expect(bodies[1].checkedInAt).toBe(bodies[0].checkedInAt);
    } finally {
      await holder.end();
    }
    const audit = await t.db.query<{ count: number }>(
      `SELECT COUNT(*)::int AS count FROM audit_log WHERE action = 'booking.check_in' AND entity_id = $1`,
      [booking.id],
    );
    expect(audit[0].count).toBe(1);
    const arrivals = await t.http.get(`/visit-slots/${slot.id}/arrivals`).set(organizer).expect(200);
    expect(arrivals.body).toMatchObject({ arrivedBookings: 1, arrivedPeople: 2 });
  });

  it('should record one arrival and one audit entry when many desks scan the same code at once', async () => {
    const slot = await createSlot(4);
    const booking = await book(slot.id, { email: 'many-desks@example.org', partySize: 1 });
    const code = decodeQr(qrOf(await t.smtp.waitForMailTo('many-desks@example.org', 20_000)));
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http
          .post('/check-in')
          .set(organizer)
          .send({ code })
          .then((response) => response),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const bodies = answers.map((answer) => answer.body as { firstScan: boolean; checkedInAt: string });
    expect(bodies.filter((body) => body.firstScan)).toHaveLength(1);
    expect(new Set(bodies.map((body) => body.checkedInAt)).size).toBe(1);
    expect(bodies[0].checkedInAt).toBe(NOW.toISOString());
    const audit = await t.db.query<{ count: number; after: { checkedInAt: string; via: string }; actor: string }>(
      `SELECT COUNT(*) OVER ()::int AS count, after, actor_email AS actor FROM audit_log WHERE action = 'booking.check_in' AND entity_id = $1`,
      [booking.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toEqual({ checkedInAt: NOW.toISOString(), via: 'code' });
    expect(audit[0].actor).toMatch(/@/);
  });

  it('should show the booking of a scanned code without checking it in, and answer 404 for an unknown code', async () => {
    const slot = await createSlot(4);
    const booking = await book(slot.id, { name: 'Kamala Huseynova', email: 'look-up@example.org', partySize: 2 });
    const code = decodeQr(qrOf(await t.smtp.waitForMailTo('look-up@example.org', 20_000)));
    const shown = await t.http.post('/check-in/look-up').set(organizer).send({ code }).expect(200);
    expect(shown.body).toMatchObject({
      id: booking.id,
      name: 'Kamala Huseynova',
      partySize: 2,
      status: 'confirmed',
      slotId: slot.id,
      checkedInAt: null,
    });
    const arrivals = await t.http.get(`/visit-slots/${slot.id}/arrivals`).set(organizer).expect(200);
    expect(arrivals.body).toMatchObject({ arrivedBookings: 0 });

    await t.http.post(`/bookings/${booking.id}/check-in`).set(organizer).expect(200);
    const after = await t.http.post('/check-in/look-up').set(organizer).send({ code }).expect(200);
    expect((after.body as { checkedInAt: string | null }).checkedInAt).not.toBeNull();
    await t.http.post('/check-in/look-up').set(organizer).send({ code: 'AAAAAAAAAAAAAAAAAAAAAA' }).expect(404);
    await t.http.post('/check-in/look-up').set(organizer).send({}).expect(400);
    await t.http.post('/check-in/look-up').send({ code }).expect(401);
  });

  it('should answer 404 for an unknown or malformed code and 400 without one', async () => {
    await t.http.post('/check-in').set(organizer).send({ code: 'AAAAAAAAAAAAAAAAAAAAAA' }).expect(404);
    await t.http.post('/check-in').set(organizer).send({ code: 'not a code' }).expect(404);
    const missing = await t.http.post('/check-in').set(organizer).send({}).expect(400);
    expect(JSON.stringify(missing.body)).toContain('code');
  });

  it('should require a staff token', async () => {
    await t.http.post('/check-in').send({ code: 'AAAAAAAAAAAAAAAAAAAAAA' }).expect(401);
  });

  it('should refuse a cancelled booking with code booking_cancelled and a waitlisted one with booking_waitlisted', async () => {
    const slot = await createSlot(1);
    const holder = await book(slot.id, { email: 'holder@example.org' });
    const waiting = await book(slot.id, { email: 'waiting@example.org', waitlist: true });
    expect(waiting.status).toBe('waitlisted');
    const holderCode = decodeQr(qrOf(await t.smtp.waitForMailTo('holder@example.org', 20_000)));
    await t.http.delete(`/bookings/manage/${tokenOf(holder)}`).expect(200);
    const refused = await t.http.post('/check-in').set(organizer).send({ code: holderCode }).expect(409);
    expect(refused.body).toMatchObject({ code: 'booking_cancelled' });

    // The promoted party now has a code; a third party waits behind it.
    const promoted = await t.http.get(`/bookings/manage/${tokenOf(waiting)}`).expect(200);
    expect(promoted.body).toMatchObject({ status: 'confirmed' });
    const third = await book(slot.id, { email: 'third@example.org', waitlist: true });
    const thirdPage = await t.http.get(`/bookings/manage/${tokenOf(third)}`).expect(200);
    expect((thirdPage.body as { checkInQr: string | null }).checkInQr).toBeNull();
    // Its code exists (derived when it was booked); the desk learns it is only waiting.
    await t.db.query(`UPDATE bookings SET status = 'confirmed' WHERE id = $1`, [third.id]);
    const qr = (await t.http.get(`/bookings/manage/${tokenOf(third)}`).expect(200)).body as { checkInQr: string };
    await t.db.query(`UPDATE bookings SET status = 'waitlisted' WHERE id = $1`, [third.id]);
    const thirdCode = decodeQr(Buffer.from(qr.checkInQr.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const waitlisted = await t.http.post('/check-in').set(organizer).send({ code: thirdCode }).expect(409);
    expect(waitlisted.body).toMatchObject({ code: 'booking_waitlisted' });
  });

  it('should show the same code on the manage page as a data: image', async () => {
    const slot = await createSlot(5);
    const booking = await book(slot.id, { email: 'page@example.org' });
    const fromMail = decodeQr(qrOf(await t.smtp.waitForMailTo('page@example.org', 20_000)));
    const page = await t.http.get(`/bookings/manage/${tokenOf(booking)}`).expect(200);
    const dataUrl = (page.body as { checkInQr: string }).checkInQr;
    expect(dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(decodeQr(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'))).toBe(fromMail);
  });

  it('should find bookings for the desk by name, email or group and count arrivals of a slot', async () => {
    const slot = await createSlot(20);
    const school = await book(slot.id, {
      name: 'Teacher Aygun',
      email: 'aygun@school6.example.org',
      partySize: 12,
      groupName: 'School No. 6',
    });
    await book(slot.id, { name: 'Rashad Mammadov', email: 'rashad@example.org', partySize: 2 });
    const byGroup = await t.http
      .get(`/ceremonies/${ceremony.id}/check-in/search`)
      .query({ q: 'school no' })
      .set(organizer)
      .expect(200);
    expect((byGroup.body as { items: Array<{ id: string }> }).items.map((item) => item.id)).toEqual([school.id]);
    const byEmail = await t.http
      .get(`/ceremonies/${ceremony.id}/check-in/search`)
      .query({ q: 'RASHAD@' })
      .set(organizer)
      .expect(200);
    expect((byEmail.body as { total: number }).total).toBe(1);
    // LIKE wildcards are searched for literally.
    const wildcard = await t.http
      .get(`/ceremonies/${ceremony.id}/check-in/search`)
      .query({ q: '%%' })
      .set(organizer)
      .expect(200);
    expect((wildcard.body as { total: number }).total).toBe(0);
    await t.http.get(`/ceremonies/${ceremony.id}/check-in/search`).query({ q: 'a' }).set(organizer).expect(400);
    await t.http.get(`/ceremonies/${ceremony.id}/check-in/search`).query({ q: 'school' }).expect(401);

    await t.http.post(`/bookings/${school.id}/check-in`).set(organizer).expect(200);
    const arrivals = await t.http.get(`/visit-slots/${slot.id}/arrivals`).set(organizer).expect(200);
    expect(arrivals.body).toMatchObject({
      slotId: slot.id,
      capacity: 20,
      expectedPeople: 14,
      arrivedPeople: 12,
      expectedBookings: 2,
      arrivedBookings: 1,
    });
    await t.http.get(`/visit-slots/00000000-0000-4000-8000-000000000000/arrivals`).set(organizer).expect(404);
  });

  it('should keep the connections a burst of scans opened, so the next burst after a quiet spell opens none', async () => {
    const pool = (t.app.get(DataSource).driver as PostgresDriver).master as Pool;
    // Well-formed codes that no booking has: each scan reaches PostgreSQL and answers 404.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        t.http
          .post('/check-in')
          .set(organizer)
          .send({ code: `burst${String(index).padStart(17, '0')}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(404));
    expect(pool.totalCount).toBeGreaterThan(1);
    // pg closes a connection idle for 10 s only while the pool holds more than `min`.
    expect(pool.options.min).toBe(pool.options.max);
    // An idle connection that stays open sends TCP keepalives, so a NAT on the way does not forget it.
    expect(pool.options).toMatchObject({ keepAlive: true, keepAliveInitialDelayMillis: 60_000 });
    const limiterPool = (t.app.get(RateLimits) as unknown as { pool: Pool }).pool;
    expect(limiterPool.options).toMatchObject({ min: 4, max: 4, keepAlive: true });
  });
});

describe('Booking export for its holder', () => {
  let t: TestApp;
  let organizer: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW) });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  it('should answer every stored column of the booking, its slot, its edition and the audit entries about it, and nothing for another token', async () => {
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    const slotResponse = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T06:00:00Z', endsAt: '2027-02-26T06:30:00Z', capacity: 5 })
      .expect(201);
    const slotId = (slotResponse.body as { id: string }).id;
    const created = (
      await t.http
        .post(`/visit-slots/${slotId}/bookings`)
        .send({
          name: 'Nigar',
          email: 'nigar@example.org',
          partySize: 2,
          phone: '+994 55 123 45 67',
          groupName: 'Family',
          locale: 'ru',
        })
        .expect(201)
    ).body as BookingCreated;
    await t.http.post(`/bookings/${created.id}/check-in`).set(organizer).expect(200);
    const token = new URL(created.manageUrl).searchParams.get('token')!;

    const response = await t.http.get(`/bookings/manage/${token}/export`).expect(200);
    const body = response.body as {
      booking: Record<string, unknown>;
      slot: { id: string };
      ceremony: { id: string };
      audit: Array<{ action: string }>;
    };
    const [columns] = await t.db.query<Record<string, unknown>>(`SELECT * FROM bookings WHERE id = $1`, [created.id]);
    const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    // Every column but the hashes of the two secrets (the manage token and the check-in code).
    const expected = Object.keys(columns)
      .filter((name) => !name.endsWith('_hash'))
      .map(camel)
      .sort();
    expect(Object.keys(body.booking).sort()).toEqual(expected);
    expect(body.booking).toMatchObject({
      id: created.id,
      name: 'Nigar',
      email: 'nigar@example.org',
      phone: '+994 55 123 45 67',
      groupName: 'Family',
      partySize: 2,
      locale: 'ru',
      status: 'confirmed',
    });
    expect(body.slot.id).toBe(slotId);
    expect(body.ceremony.id).toBe(ceremony.id);
    expect(body.audit.map((entry) => entry.action)).toEqual(['booking.check_in']);
    expect(JSON.stringify(body)).not.toContain(token);

    await t.http.get(`/bookings/manage/${'x'.repeat(43)}/export`).expect(404);
  });
});
