/**
 * The baseline for the public endpoints: a minimal Fastify + pg server that runs the same SQL as
 * the app for the same three routes (no Nest, no validation pipe, no TypeORM, no mail, no logging).
 * Where the app writes a confirmation mail to its outbox in the same statement or transaction, the
 * baseline writes a row of the same size (2,117 bytes, a sealed booking confirmation) to a copy of
 * that table, which nothing sends.
 * It is what the machine allows; the app's figures are reported as a ratio of these.
 * Env: PORT, DATABASE_URL, DATABASE_POOL_SIZE (default 10, as the app).
 */
import Fastify from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const app = Fastify({ logger: false });

const SLOT = `SELECT s.id, s.ceremony_id AS "ceremonyId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.capacity, s.booked, s.created_at AS "createdAt", s.updated_at AS "updatedAt" FROM visit_slots s WHERE s.id = $1`;
const CEREMONY = `SELECT * FROM ceremonies WHERE id = $1`;
const SEALED_MAIL = randomBytes(2117);
const OUTBOX_INSERT = `INSERT INTO mail_outbox_baseline (kind, sealed, next_attempt_at)`;

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
  const { rows: slots } = await pool.query(SLOT, [slotId]);
  const { rows: ceremonies } = slots[0] ? await pool.query(CEREMONY, [slots[0].ceremonyId]) : { rows: [] };
  if (!slots[0] || ceremonies[0]?.status !== 'published') return reply.code(404).send({ message: 'Time slot not found' });
  const { hash } = token();
  // As the app: seats and booking in one statement when the seats are free; else a transaction.
  const { rows: fast } = await pool.query(
    `WITH s AS (UPDATE visit_slots AS s SET booked = s.booked + $7
                 WHERE s.id = $2 AND s.booked + $7 <= s.capacity AND s.starts_at = $11 AND s.ends_at = $12 RETURNING s.id),
          b AS (INSERT INTO bookings AS b (id, slot_id, name, email, phone, group_name, party_size, locale, status, manage_token_hash, confirmed_at)
                SELECT $1, s.id, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $10 FROM s RETURNING b.id, b.status),
          o AS (${OUTBOX_INSERT} SELECT $13, $14, $15 FROM b)
     SELECT * FROM b`,
    [randomUUID(), slotId, body.name, body.email.toLowerCase(), null, null, body.partySize, null, hash, new Date(), slots[0].startsAt, slots[0].endsAt, 'visit.confirmed', SEALED_MAIL, new Date()],
  );
  const booking = fast[0]
    ? (fast[0] as { id: string; status: string })
    : await inTransaction(async (client) => {
        await client.query(`SELECT id FROM visit_slots WHERE id = $1 FOR UPDATE`, [slotId]);
        const taken = await client.query(`UPDATE visit_slots AS s SET booked = s.booked + $2 WHERE s.id = $1 AND s.booked + $2 <= s.capacity RETURNING s.id`, [slotId, body.partySize]);
        if (!taken.rowCount && !body.waitlist) return null;
        const { rows } = await client.query(
          `INSERT INTO bookings AS b (id, slot_id, name, email, phone, group_name, party_size, locale, status, manage_token_hash, confirmed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING b.id, b.status`,
          [randomUUID(), slotId, body.name, body.email.toLowerCase(), null, null, body.partySize, null, taken.rowCount ? 'confirmed' : 'waitlisted', hash, taken.rowCount ? new Date() : null],
        );
        await client.query(`${OUTBOX_INSERT} VALUES ($1, $2, now())`, [`visit.${rows[0].status}`, SEALED_MAIL]);
        return rows[0] as { id: string; status: string };
      });
  if (!booking) return reply.code(409).send({ message: 'This time slot is full' });
  return reply.code(201).send({ id: booking.id, status: booking.status, manageUrl: `http://localhost/bookings/manage/x` });
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
  const { rows: roles } = await pool.query(`SELECT * FROM volunteer_roles WHERE id = ANY($1::uuid[]) ORDER BY id`, [body.roleIds]);
  if (roles.length !== body.roleIds.length) return reply.code(400).send({ message: 'unknown role' });
  const { hash } = token();
  await inTransaction(async (client) => {
    const { rows } = await client.query(
      `INSERT INTO volunteers (ceremony_id, status, name, email, phone, languages, note, locale, consent_reminders, token_hash, expires_at)
       VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (ceremony_id, lower(email)) DO NOTHING RETURNING id`,
      [body.ceremonyId, body.name, body.email, null, null, null, null, body.consentReminders, hash, new Date(Date.now() + 48 * 3600_000)],
    );
    if (rows[0]) {
      await client.query(
        `INSERT INTO volunteer_assignments (volunteer_id, role_id, state) SELECT $1, role_id, 'requested' FROM unnest($2::uuid[]) AS role_id ON CONFLICT (volunteer_id, role_id) DO NOTHING`,
        [rows[0].id, body.roleIds],
      );
      await client.query(`${OUTBOX_INSERT} VALUES ($1, $2, now())`, ['volunteer.confirm-request', SEALED_MAIL]);
    }
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
  return rows.map((slot: { id: string; ceremonyId: string; startsAt: Date; endsAt: Date; capacity: number; booked: number; waitlisted: number }) => ({
    id: slot.id,
    ceremonyId: slot.ceremonyId,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    capacity: slot.capacity,
    booked: slot.booked,
    remaining: slot.capacity - slot.booked,
    waitlisted: slot.waitlisted,
  }));
});

// The copy of the app's outbox (its migrations have run: the baseline starts after the app).
pool
  .query('CREATE TABLE IF NOT EXISTS mail_outbox_baseline (LIKE mail_outbox INCLUDING ALL)')
  .then(() => app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }))
  .catch((error: unknown) => {
    process.stderr.write(`baseline failed: ${String(error)}\n`);
    process.exit(1);
  });
process.on('SIGINT', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
