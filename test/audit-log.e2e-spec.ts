import { createTestApp, TestApp } from './support/app';

type Headers = { Authorization: string };
type Entry = { action: string; actorId: string | null; entityType: string; occurredAt: string };

/** Admins read who changed what, filtered by actor, entity and time range. */
describe('Audit log filters', () => {
  let t: TestApp;
  let admin: Headers;
  let adminId: string;
  let organizerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.auth('admin');
    const organizer = await t.auth('organizer');
    adminId = (await t.http.get('/auth/me').set(admin).expect(200)).body.id as string;
    organizerId = (await t.http.get('/auth/me').set(organizer).expect(200)).body.id as string;
    // One entry by the organizer; two older admin entries at known instants for the time range.
    await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({
        year: 2027,
        title: 'Khojaly Remembrance Day 2027',
        startTime: '10:00',
        venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
      })
      .expect(201);
    await t.db.query(
      `INSERT INTO audit_log (occurred_at, actor_id, actor_email, action, entity_type, entity_id) VALUES
         ('2026-01-10T08:00:00Z', $1, 'admin@test.example', 'reminder-rules.replace', 'reminder-rules', NULL),
         ('2026-01-20T08:00:00Z', $1, 'admin@test.example', 'reminder-rules.replace', 'reminder-rules', NULL)`,
      [adminId],
    );
  });
  afterAll(() => t.close());

  const entries = async (query: Record<string, string>) =>
    (await t.http.get('/audit-log').query(query).set(admin).expect(200)).body as { items: Entry[]; total: number };

  it('should filter by actor and by entity', async () => {
    const byOrganizer = await entries({ actorId: organizerId });
    expect(byOrganizer.items.map((entry) => entry.action)).toEqual(['ceremony.create']);
    const byAdmin = await entries({ actorId: adminId });
    expect(byAdmin.items.every((entry) => entry.actorId === adminId)).toBe(true);
    expect(byAdmin.items.map((entry) => entry.action)).toContain('user.create');
    const rules = await entries({ entityType: 'reminder-rules' });
    expect(rules.total).toBe(2);
    expect((await entries({ actorId: organizerId, entityType: 'user' })).total).toBe(0);
  });

  it('should filter by a time range that includes its start and excludes its end', async () => {
    const january = await entries({ from: '2026-01-10T12:00:00+04:00', to: '2026-01-20T08:00:00Z' });
    expect(january.items.map((entry) => entry.occurredAt)).toEqual(['2026-01-10T08:00:00.000Z']);
    const since = await entries({ entityType: 'reminder-rules', from: '2026-01-15T00:00:00Z' });
    expect(since.items.map((entry) => entry.occurredAt)).toEqual(['2026-01-20T08:00:00.000Z']);
    const until = await entries({ entityType: 'reminder-rules', to: '2026-01-15T00:00:00Z' });
    expect(until.items.map((entry) => entry.occurredAt)).toEqual(['2026-01-10T08:00:00.000Z']);
  });

  it('should page newest first', async () => {
    const first = await entries({ entityType: 'reminder-rules', limit: '1' });
    const second = await entries({ entityType: 'reminder-rules', limit: '1', offset: '1' });
    expect([first.items[0].occurredAt, second.items[0].occurredAt]).toEqual([
      '2026-01-20T08:00:00.000Z',
      '2026-01-10T08:00:00.000Z',
    ]);
    expect(first.total).toBe(2);
  });

  it('should refuse a malformed filter naming the field, and a range that ends before it starts', async () => {
    const from = await t.http.get('/audit-log').query({ from: 'yesterday' }).set(admin).expect(400);
    expect(from.body.errors).toEqual([expect.objectContaining({ field: 'from', code: 'invalid_date' })]);
    const actor = await t.http.get('/audit-log').query({ actorId: 'someone' }).set(admin).expect(400);
    expect(actor.body.errors).toEqual([expect.objectContaining({ field: 'actorId', code: 'invalid_uuid' })]);
    await t.http
      .get('/audit-log')
      .query({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })
      .set(admin)
      .expect(400);
  });

  it('should refuse organizers the audit log', async () => {
    await t.http
      .get('/audit-log')
      .set(await t.auth('organizer'))
      .expect(403);
  });
});
