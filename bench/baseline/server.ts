/**
 * The baseline for the public endpoints and the check-in desk: a minimal Fastify + pg server that
 * runs the same SQL as the app for the same four routes (no Nest, no validation pipe, no TypeORM,
 * no token check, no mail, no logging).
 * Where the app writes a job in the same statement or transaction, the baseline writes a row of
 * the same size to a copy of that table, which nothing runs: 201 bytes for a booking (the sealed
 * `visit.mail` job: booking id, kind, manage link), 2,117 for a sign-up.
 * It is what the machine allows; the app's figures are reported as a ratio of these.
 *
 * With SMTP_URL set it is the *fair* baseline: each booking and sign-up also composes the same
 * confirmation the app sends (the app's own composers: text, HTML, calendar file, QR image) and
 * sends it through a nodemailer pool of the app's size to the same sink, after answering;
 * `GET /pending` answers how many are not yet sent, so the runner can wait for them as it waits
 * for the app's outbox.
 * Env: PORT, DATABASE_URL, DATABASE_POOL_SIZE (default 10, as the app), SMTP_URL, SMTP_POOL_CONNECTIONS (default 5).
 */
import Fastify from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createTransport, type SendMailOptions } from 'nodemailer';
import { Pool, PoolClient, types } from 'pg';
import { qrPng } from '../../src/mail/qr-image';
import { buildVisitMail } from '../../src/visits/visit-mail';
import { renderVolunteerMail } from '../../src/volunteers/volunteer-mail-texts';

// Calendar dates as the app reads them: `YYYY-MM-DD`, not a Date at local midnight.
types.setTypeParser(1082, (value) => value);
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  // Fixed-size, as the app's pool: connections stay open between bursts.
  min: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const app = Fastify({ logger: false });

const SLOT = `SELECT s.id, s.ceremony_id AS "ceremonyId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.capacity, s.booked, s.created_at AS "createdAt", s.updated_at AS "updatedAt" FROM visit_slots s WHERE s.id = $1`;
const CEREMONY = `SELECT * FROM ceremonies WHERE id = $1`;
const SEALED_MAIL = randomBytes(2117);
/** The size of a booking's sealed `visit.mail` job; the app reads the booking and edition back and composes in the job. */
const BOOKING_JOB = randomBytes(201);
const OUTBOX_INSERT = `INSERT INTO jobs_baseline (kind, payload, run_at)`;

const FROM = 'Commemoration <no-reply@localhost>';
const transport = process.env.SMTP_URL
  ? createTransport({
      url: process.env.SMTP_URL,
      pool: true,
      maxConnections: Number(process.env.SMTP_POOL_CONNECTIONS ?? 5),
      maxMessages: 1000,
    })
  : null;
let pending = 0;
let failed = 0;

/** Sends after the answer, as the app's outbox does; failures are counted, not retried (the sink accepts all). */
function send(message: () => SendMailOptions): void {
  if (!transport) return;
  pending += 1;
  setImmediate(() => {
    transport
      .sendMail({ from: FROM, ...message() })
      .catch(() => (failed += 1))
      .finally(() => (pending -= 1));
  });
}

function token(): { token: string; hash: string } {
  const value = randomBytes(32).toString('base64url');
  return { token: value, hash: createHash('sha256').update(value).digest('hex') };
}

async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

interface BookingBody {
  name: string;
  email: string;
  partySize: number;
  waitlist?: boolean;
}

app.post<{ Params: { slotId: string }; Body: BookingBody }>('/visit-slots/:slotId/bookings', async (request, reply) => {
  const { slotId } = request.params;
  const body = request.body;
  const manage = token();
  const { rows: slots } = await pool.query(SLOT, [slotId]);
  const { rows: ceremonies } = slots[0] ? await pool.query(CEREMONY, [slots[0].ceremonyId]) : { rows: [] };
  if (!slots[0] || ceremonies[0]?.status !== 'published')
    return reply.code(404).send({ message: 'Time slot not found' });
  const { hash } = manage;
  // As the app: seats and booking in one statement when the seats are free; else a transaction.
  const { rows: fast } = await pool.query(
    `WITH s AS (UPDATE visit_slots AS s SET booked = s.booked + $7
                 WHERE s.id = $2 AND s.booked + $7 <= s.capacity AND s.starts_at = $11 AND s.ends_at = $12 RETURNING s.id),
          b AS (INSERT INTO bookings AS b (id, slot_id, name, email, phone, group_name, party_size, locale, status, manage_token_hash, confirmed_at)
                SELECT $1, s.id, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $10 FROM s RETURNING b.id, b.status),
          o AS (${OUTBOX_INSERT} SELECT $13, $14, $15 FROM b)
     SELECT * FROM b`,
    [
      randomUUID(),
      slotId,
      body.name,
      body.email.toLowerCase(),
      null,
      null,
      body.partySize,
      null,
      hash,
      new Date(),
      slots[0].startsAt,
      slots[0].endsAt,
      'visit.mail',
      BOOKING_JOB,
      new Date(),
    ],
  );
  const booking = fast[0]
    ? (fast[0] as { id: string; status: string })
    : await inTransaction(async (client) => {
        await client.query(`SELECT id FROM visit_slots WHERE id = $1 FOR UPDATE`, [slotId]);
        const taken = await client.query(
          `UPDATE visit_slots AS s SET booked = s.booked + $2 WHERE s.id = $1 AND s.booked + $2 <= s.capacity RETURNING s.id`,
          [slotId, body.partySize],
        );
        if (!taken.rowCount && !body.waitlist) return null;
        const { rows } = await client.query(
          `INSERT INTO bookings AS b (id, slot_id, name, email, phone, group_name, party_size, locale, status, manage_token_hash, confirmed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING b.id, b.status`,
          [
            randomUUID(),
            slotId,
            body.name,
            body.email.toLowerCase(),
            null,
            null,
            body.partySize,
            null,
            taken.rowCount ? 'confirmed' : 'waitlisted',
            hash,
            taken.rowCount ? new Date() : null,
          ],
        );
        await client.query(`${OUTBOX_INSERT} VALUES ($1, $2, now())`, ['visit.mail', BOOKING_JOB]);
        return rows[0] as { id: string; status: string };
      });
  if (!booking) return reply.code(409).send({ message: 'This time slot is full' });
  const manageUrl = `http://127.0.0.1/bookings/manage/${manage.token}`;
  const ceremony = ceremonies[0] as { title: string; venue_name: string; venue_address: string; time_zone: string };
  send(() => {
    const kind = booking.status === 'confirmed' ? 'confirmed' : 'waitlisted';
    const checkInCode =
      kind === 'confirmed'
        ? createHash('sha256').update(manage.hash).digest().subarray(0, 16).toString('base64url')
        : null;
    const mail = buildVisitMail(kind, 'az', {
      bookingId: booking.id,
      name: body.name,
      partySize: body.partySize,
      ceremonyTitle: ceremony.title,
      venueName: ceremony.venue_name,
      venueAddress: ceremony.venue_address,
      timeZone: ceremony.time_zone,
      startsAt: slots[0].startsAt,
      endsAt: slots[0].endsAt,
      manageUrl,
      checkInCode,
      domain: '127.0.0.1',
    });
    return {
      to: { name: body.name, address: body.email },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: [
        ...(mail.ics
          ? [{ filename: 'visit.ics', content: mail.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }]
          : []),
        ...(checkInCode ? [{ filename: 'qr.png', content: qrPng(checkInCode), contentType: 'image/png' }] : []),
      ],
    };
  });
  return reply.code(201).send({ id: booking.id, status: booking.status, manageUrl });
});

interface VolunteerBody {
  ceremonyId: string;
  name: string;
  email: string;
  roleIds: string[];
  consentReminders: boolean;
}

app.post<{ Body: VolunteerBody }>('/volunteers', async (request, reply) => {
  const body = request.body;
  const { rows: ceremonies } = await pool.query(CEREMONY, [body.ceremonyId]);
  if (ceremonies[0]?.status !== 'published') return reply.code(404).send({ message: 'Edition not found' });
  const { rows: roles } = await pool.query(`SELECT * FROM volunteer_roles WHERE id = ANY($1::uuid[]) ORDER BY id`, [
    body.roleIds,
  ]);
  if (roles.length !== body.roleIds.length) return reply.code(400).send({ message: 'unknown role' });
  const confirm = token();
  const { hash } = confirm;
  const created = await inTransaction(async (client) => {
    const { rows } = await client.query(
      `INSERT INTO volunteers (ceremony_id, status, name, email, phone, languages, note, locale, consent_reminders, token_hash, expires_at)
       VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (ceremony_id, lower(email)) DO NOTHING RETURNING id`,
      [
        body.ceremonyId,
        body.name,
        body.email,
        null,
        null,
        null,
        null,
        body.consentReminders,
        hash,
        new Date(Date.now() + 48 * 3600_000),
      ],
    );
    if (rows[0]) {
      await client.query(
        `INSERT INTO volunteer_assignments (volunteer_id, role_id, state) SELECT $1, role_id, 'requested' FROM unnest($2::uuid[]) AS role_id ON CONFLICT (volunteer_id, role_id) DO NOTHING`,
        [rows[0].id, body.roleIds],
      );
      await client.query(`${OUTBOX_INSERT} VALUES ($1, $2, now())`, ['volunteer.confirm-request', SEALED_MAIL]);
    }
    return Boolean(rows[0]);
  });
  const ceremony = ceremonies[0] as { title: string; date: string; time_zone: string };
  const shifts = (roles as Array<{ name: string; shift_start: string; shift_end: string }>).map((role) => ({
    name: role.name,
    shiftStart: role.shift_start,
    shiftEnd: role.shift_end,
  }));
  if (created)
    send(() => {
      const mail = renderVolunteerMail({
        kind: 'confirm-request',
        locale: 'en',
        name: body.name,
        edition: { title: ceremony.title, date: ceremony.date, timeZone: ceremony.time_zone },
        assigned: shifts,
        waitlisted: [],
        link: `http://127.0.0.1/volunteers/confirm?token=${confirm.token}`,
        expiresAt: new Date(Date.now() + 48 * 3600_000),
        details: { phone: null, consentReminders: body.consentReminders },
      });
      return { to: { name: body.name, address: body.email }, subject: mail.subject, text: mail.text, html: mail.html };
    });
  return reply.code(202).send({ status: 'accepted', message: 'Thank you.' });
});

app.get<{ Params: { id: string } }>('/ceremonies/:id/visit-slots', async (request, reply) => {
  const { rows: ceremonies } = await pool.query(CEREMONY, [request.params.id]);
  if (ceremonies[0]?.status !== 'published') return reply.code(404).send({ message: 'Ceremony not found' });
  const { rows } = await pool.query(
    `SELECT s.id, s.ceremony_id AS "ceremonyId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.capacity, s.booked,
            COALESCE(SUM(b.party_size) FILTER (WHERE b.status = 'waitlisted'), 0)::int AS waitlisted,
            COALESCE(SUM(b.party_size) FILTER (WHERE b.status = 'confirmed' AND b.checked_in_at IS NOT NULL), 0)::int AS "checkedIn",
            COUNT(b.id) FILTER (WHERE b.status = 'confirmed')::int AS "confirmedBookings",
            COUNT(b.id) FILTER (WHERE b.status = 'waitlisted')::int AS "waitlistedBookings"
       FROM visit_slots s
       LEFT JOIN bookings b ON b.slot_id = s.id AND b.status <> 'cancelled'
      WHERE s.ceremony_id = $1
      GROUP BY s.id
      ORDER BY s.starts_at, s.ends_at, s.id`,
    [request.params.id],
  );
  return rows.map(
    (slot: {
      id: string;
      ceremonyId: string;
      startsAt: Date;
      endsAt: Date;
      capacity: number;
      booked: number;
      waitlisted: number;
    }) => ({
      id: slot.id,
      ceremonyId: slot.ceremonyId,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      capacity: slot.capacity,
      booked: slot.booked,
      remaining: slot.capacity - slot.booked,
      waitlisted: slot.waitlisted,
    }),
  );
});

const CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

// The desk's scan as the app runs it: the code's hash finds the booking, and one statement records
// the arrival of a confirmed booking not yet arrived with its audit entry (no token check here).
app.post<{ Body: { code: string } }>('/check-in', async (request, reply) => {
  const code = typeof request.body?.code === 'string' ? request.body.code.trim() : '';
  if (!CODE_PATTERN.test(code)) return reply.code(404).send({ message: 'Unknown check-in code' });
  const at = new Date();
  const { rows } = await pool.query(
    `WITH found AS (
       SELECT b.id, b.slot_id AS "slotId", b.sequence, b.name, b.email, b.phone, b.group_name AS "groupName", b.party_size AS "partySize", b.locale, b.status,
              b.checked_in_at AS "checkedInAt", b.confirmed_at AS "confirmedAt", b.cancelled_at AS "cancelledAt", b.created_at AS "createdAt",
              s.starts_at AS "slotStartsAt", s.ends_at AS "slotEndsAt"
         FROM bookings b JOIN visit_slots s ON s.id = b.slot_id
        WHERE b.check_in_code_hash = $1
          FOR NO KEY UPDATE OF b
     ), arrived AS (
       UPDATE bookings AS b SET checked_in_at = $2, updated_at = now()
         FROM found WHERE b.id = found.id AND found.status = 'confirmed' AND found."checkedInAt" IS NULL
       RETURNING b.id, b.checked_in_at
     ), audited AS (
       INSERT INTO audit_log (actor_id, actor_email, action, entity_type, entity_id, before, after)
       SELECT NULL, 'desk@bench.example.org', 'booking.check_in', 'booking', arrived.id::text, $3::jsonb, $4::jsonb FROM arrived
     )
     SELECT found.*, arrived.checked_in_at AS "arrivedAt" FROM found LEFT JOIN arrived ON arrived.id = found.id`,
    [
      createHash('sha256').update(code, 'utf8').digest('hex'),
      at,
      JSON.stringify({ checkedInAt: null }),
      JSON.stringify({ checkedInAt: at, via: 'code' }),
    ],
  );
  const booking = rows[0] as { status: string; arrivedAt: Date | null; checkedInAt: Date | null } | undefined;
  if (!booking) return reply.code(404).send({ message: 'Unknown check-in code' });
  if (booking.status !== 'confirmed') return reply.code(409).send({ message: 'Not confirmed' });
  const { arrivedAt, ...view } = booking;
  return { ...view, checkedInAt: arrivedAt ?? booking.checkedInAt, firstScan: arrivedAt !== null };
});

app.get('/pending', async () => ({ pending, failed }));

// The copy of the app's outbox (its migrations have run: the baseline starts after the app).
pool
  .query('CREATE TABLE IF NOT EXISTS jobs_baseline (LIKE jobs INCLUDING ALL)')
  .then(() => app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }))
  .catch((error: unknown) => {
    process.stderr.write(`baseline failed: ${String(error)}\n`);
    process.exit(1);
  });
process.on(
  'SIGINT',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
