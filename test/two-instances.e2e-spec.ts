import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * Two app instances on one database, requests split between them and sent at once: the places
 * counted by the database (row locks, not process memory) stay exact.
 */

const VOLUNTEER_LINK = /https:\/\/commemoration\.test\/p\/volunteer\/confirm\?token=([A-Za-z0-9_-]{43})/;

describe('Two instances on one database under load', () => {
  let first: TestApp;
  let second: TestApp;
  let ceremonyId: string;
  let organizer: { Authorization: string };

  beforeAll(async () => {
    first = await createTestApp({ env: { DATABASE_POOL_SIZE: '8' } });
    second = await createTestApp({ database: first.db, smtp: first.smtp, env: { DATABASE_POOL_SIZE: '8' } });
    ceremonyId = (await insertCeremony(first.db, { year: 2027 })).id;
    organizer = await first.auth('organizer');
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const instance = (index: number) => (index % 2 === 0 ? first : second);

  async function slot(capacity: number, hour: number): Promise<string> {
    const startsAt = new Date(Date.UTC(2027, 1, 26, hour, 0));
    const response = await first.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
        capacity,
      })
      .expect(201);
    return response.body.id as string;
  }

  async function slotState(slotId: string) {
    const [row] = await first.db.query<{
      booked: number;
      confirmed: number;
      confirmed_rows: number;
      waitlisted_rows: number;
    }>(
      `SELECT s.booked,
              COALESCE(SUM(b.party_size) FILTER (WHERE b.status = 'confirmed'), 0)::int AS confirmed,
              COUNT(b.id) FILTER (WHERE b.status = 'confirmed')::int AS confirmed_rows,
              COUNT(b.id) FILTER (WHERE b.status = 'waitlisted')::int AS waitlisted_rows
         FROM visit_slots s LEFT JOIN bookings b ON b.slot_id = s.id WHERE s.id = $1 GROUP BY s.id`,
      [slotId],
    );
    return row;
  }

  it('should confirm exactly the capacity when 60 single bookings race across both instances', async () => {
    const slotId = await slot(20, 5);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        instance(index)
          .http.post(`/visit-slots/${slotId}/bookings`)
          .send({ name: `Visitor ${index}`, email: `race-${index}@example.org`, partySize: 1 }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(40);
    // Both instances took part in the confirmations.
    expect(
      new Set(
        responses.map((response, index) => (response.status === 201 ? index % 2 : -1)).filter((side) => side >= 0),
      ).size,
    ).toBe(2);
    expect(await slotState(slotId)).toEqual({ booked: 20, confirmed: 20, confirmed_rows: 20, waitlisted_rows: 0 });
  });

  it('should never exceed the capacity with mixed party sizes and a waiting list, across both instances', async () => {
    const slotId = await slot(25, 6);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        instance(index)
          .http.post(`/visit-slots/${slotId}/bookings`)
          .send({
            name: `Group ${index}`,
            email: `mixed-${index}@example.org`,
            partySize: 1 + (index % 4),
            waitlist: true,
          }),
      ),
    );
    expect(responses.map((response) => response.status).filter((status) => status !== 201)).toEqual([]);
    const state = await slotState(slotId);
    expect(state.confirmed).toBeLessThanOrEqual(25);
    expect(state.booked).toBe(state.confirmed);
    expect(state.confirmed_rows + state.waitlisted_rows).toBe(50);
    expect(responses.filter((response) => response.body.status === 'confirmed')).toHaveLength(state.confirmed_rows);
  });

  it('should fill a volunteer role exactly when 24 confirmations race across both instances', async () => {
    const role = await first.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(organizer)
      .send({ name: 'Stewards', capacity: 6, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    const emails = Array.from({ length: 24 }, (_, index) => `steward-${index}@example.org`);
    for (const [index, email] of emails.entries()) {
      await instance(index)
        .http.post('/volunteers')
        .send({ ceremonyId, name: `Steward ${index}`, email, roleIds: [role.body.id], consentReminders: false })
        .expect(202);
    }
    await first.smtp.waitFor(
      (mails) =>
        emails.every((email) =>
          mails.some((mail) => mail.envelopeTo.includes(email) && VOLUNTEER_LINK.test(mail.parsed.text ?? '')),
        ),
      30_000,
      'every confirmation link',
    );
    const tokens = emails.map(
      (email) =>
        VOLUNTEER_LINK.exec(
          first.smtp.to(email).find((mail) => VOLUNTEER_LINK.test(mail.parsed.text ?? ''))!.parsed.text ?? '',
        )![1],
    );

    // Every token confirmed twice at once, once on each instance: idempotent, and the places exact.
    const responses = await Promise.all(
      tokens.flatMap((token) => [
        first.http.post('/volunteers/confirm').send({ token }),
        second.http.post('/volunteers/confirm').send({ token }),
      ]),
    );
    expect(responses.map((response) => response.status).filter((status) => status !== 200)).toEqual([]);

    const states = await first.db.query<{ state: string; count: number; positions: number }>(
      `SELECT state, COUNT(*)::int AS count, COUNT(DISTINCT waitlist_position)::int AS positions FROM volunteer_assignments WHERE role_id = $1 GROUP BY state ORDER BY state`,
      [role.body.id],
    );
    expect(states).toEqual([
      { state: 'assigned', count: 6, positions: 0 },
      { state: 'waitlisted', count: 18, positions: 18 },
    ]);
    const [{ filled }] = await first.db.query<{ filled: number }>(`SELECT filled FROM volunteer_roles WHERE id = $1`, [
      role.body.id,
    ]);
    expect(filled).toBe(6);
  });
});
