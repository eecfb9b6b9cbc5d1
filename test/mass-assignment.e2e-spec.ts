import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';
import { rowCounts } from './support/routes';

/**
 * Mass assignment: a public payload cannot set what only the service or the organizers decide
 * (status, role, counters, check-in, confirmation, ids). Every public write refuses such a field
 * with 400 naming it, and writes nothing.
 */

const FORBIDDEN: Record<string, unknown> = {
  status: 'confirmed',
  role: 'admin',
  filled: 0,
  booked: 0,
  checkedInAt: '2027-02-26T06:00:00.000Z',
  confirmed: true,
  confirmedAt: '2027-01-01T00:00:00.000Z',
  id: '00000000-0000-4000-8000-000000000001',
  sequence: 1,
  tokenHash: '0'.repeat(64),
  slotId: '00000000-0000-4000-8000-000000000002',
  capacity: 1000,
};

describe('Mass assignment on public writes', () => {
  let t: TestApp;
  const writes: Array<{
    name: string;
    send: (body: Record<string, unknown>) => Promise<{ status: number; body: { message?: unknown } }>;
    valid: Record<string, unknown>;
  }> = [];

  beforeAll(async () => {
    t = await createTestApp();
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    const organizer = await t.auth('organizer');
    const slot = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T06:00:00.000Z', endsAt: '2027-02-26T06:30:00.000Z', capacity: 20 })
      .expect(201);
    const role = await t.http
      .post(`/ceremonies/${ceremony.id}/volunteer-roles`)
      .set(organizer)
      .send({ name: 'Carnations', capacity: 5, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    // A confirmed volunteer, for the self-service update.
    await t.http
      .post('/volunteers')
      .send({
        ceremonyId: ceremony.id,
        name: 'Volunteer',
        email: 'v@example.org',
        roleIds: [role.body.id],
        consentReminders: false,
      })
      .expect(202);
    const mail = await t.smtp.waitForMailTo('v@example.org');
    const token = /\/p\/volunteer\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
    await t.http.post('/volunteers/confirm').send({ token }).expect(200);

    writes.push(
      {
        name: 'POST /visit-slots/:slotId/bookings',
        send: (body) => t.http.post(`/visit-slots/${slot.body.id as string}/bookings`).send(body),
        valid: { name: 'Visitor', email: 'visitor@example.org', partySize: 2 },
      },
      {
        name: 'POST /volunteers',
        send: (body) => t.http.post('/volunteers').send(body),
        valid: {
          ceremonyId: ceremony.id,
          name: 'New',
          email: 'new@example.org',
          roleIds: [role.body.id],
          consentReminders: false,
        },
      },
      {
        name: 'POST /volunteers/confirm',
        send: (body) => t.http.post('/volunteers/confirm').send(body),
        valid: { token },
      },
      {
        name: 'PATCH /volunteers/me',
        send: (body) => t.http.patch('/volunteers/me').set('X-Manage-Token', token).send(body),
        valid: { name: 'Renamed' },
      },
      {
        name: 'POST /subscriptions',
        send: (body) => t.http.post('/subscriptions').send(body),
        valid: { email: 'sub@example.org' },
      },
      {
        name: 'POST /subscriptions/confirm',
        send: (body) => t.http.post('/subscriptions/confirm').send(body),
        valid: { token: 'A'.repeat(43) },
      },
      {
        name: 'POST /auth/login',
        send: (body) => t.http.post('/auth/login').send(body),
        valid: { email: 'admin@test.example', password: 'admin-password-123' },
      },
    );
  });
  afterAll(() => t.close());

  it('should refuse every privileged field on every public write with 400 naming the field, and write nothing', async () => {
    const before = await rowCounts(t);
    const mailsBefore = t.smtp.received.length;
    const [volunteerBefore] = await t.db.query(`SELECT name, status FROM volunteers WHERE email = 'v@example.org'`);
    for (const write of writes) {
      for (const [field, value] of Object.entries(FORBIDDEN)) {
        const response = await write.send({ ...write.valid, [field]: value });
        expect({ write: write.name, field, status: response.status }).toEqual({
          write: write.name,
          field,
          status: 400,
        });
        expect(JSON.stringify(response.body.message)).toContain(`property ${field} should not exist`);
      }
    }
    expect(await rowCounts(t)).toEqual(before);
    expect(t.smtp.received.length).toBe(mailsBefore);
    expect((await t.db.query(`SELECT name, status FROM volunteers WHERE email = 'v@example.org'`))[0]).toEqual(
      volunteerBefore,
    );
  });

  it('should accept the same payloads without the privileged fields (the refusal is about the fields)', async () => {
    for (const write of writes.filter((candidate) => candidate.name !== 'POST /subscriptions/confirm')) {
      const response = await write.send(write.valid);
      expect({ write: write.name, ok: response.status < 300 }).toEqual({ write: write.name, ok: true });
    }
  });
});
