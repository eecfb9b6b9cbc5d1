import { SubscribersService } from '../src/subscriptions/subscribers.service';
import { createTestApp, TestApp } from './support/app';

type Headers = { Authorization: string };
type SubscriberRow = { id: string; email: string; name: string | null; status: string };

/** Admins look up reminder subscribers, export them and unsubscribe someone on their behalf. */
describe('Subscribers (staff)', () => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.auth('admin');
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at, created_at) VALUES
         ('leyla@example.org', 'Leyla Aliyeva', 'az', 'confirmed', now(), now() - interval '3 days'),
         ('murad@example.org', 'Murad', 'en', 'confirmed', now(), now() - interval '2 days'),
         ('pending_100%@example.org', NULL, 'ru', 'pending', NULL, now() - interval '1 day'),
         ('gone@example.org', 'Gone', 'en', 'unsubscribed', NULL, now())`,
    );
  });
  afterAll(() => t.close());

  const list = async (query: Record<string, string | number> = {}) =>
    (await t.http.get('/subscribers').query(query).set(admin).expect(200)).body as {
      items: SubscriberRow[];
      total: number;
      counts: Record<string, number>;
    };

  it('should list subscribers oldest first with the count per state', async () => {
    const page = await list();
    expect(page.items.map((item) => item.email)).toEqual([
      'leyla@example.org',
      'murad@example.org',
      'pending_100%@example.org',
      'gone@example.org',
    ]);
    expect(page.total).toBe(4);
    expect(page.counts).toEqual({ confirmed: 2, pending: 1, unsubscribed: 1 });
  });

  it('should search the email and the name in any case, taking the typed text literally', async () => {
    expect((await list({ q: 'ALIYEVA' })).items.map((item) => item.email)).toEqual(['leyla@example.org']);
    expect((await list({ q: 'murad@' })).items.map((item) => item.email)).toEqual(['murad@example.org']);
    // % is no wildcard: only the address that holds it matches.
    expect((await list({ q: '100%' })).items.map((item) => item.email)).toEqual(['pending_100%@example.org']);
    const filtered = await list({ q: 'example.org', status: 'confirmed', limit: 1 });
    expect(filtered.items.map((item) => item.email)).toEqual(['leyla@example.org']);
    expect(filtered.total).toBe(2);
    // The counts are of everyone, whatever the search.
    expect(filtered.counts).toEqual({ confirmed: 2, pending: 1, unsubscribed: 1 });
  });

  it('should export the matching subscribers as CSV', async () => {
    const response = await t.http
      .get('/subscribers')
      .query({ format: 'csv', status: 'confirmed', bom: 'false' })
      .set(admin)
      .expect(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('subscribers.csv');
    const lines = response.text.trim().split('\r\n');
    expect(lines[0]).toBe('email,name,locale,status,created_at,confirmed_at,unsubscribed_at');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['leyla@example.org', 'murad@example.org']);
  });

  it('should refuse a bad search, status or id naming the field', async () => {
    const longSearch = await t.http
      .get('/subscribers')
      .query({ q: 'x'.repeat(201) })
      .set(admin)
      .expect(400);
    expect(longSearch.body.errors).toEqual([expect.objectContaining({ field: 'q', code: 'too_long' })]);
    const status = await t.http.get('/subscribers').query({ status: 'everyone' }).set(admin).expect(400);
    expect(status.body.errors).toEqual([expect.objectContaining({ field: 'status', code: 'invalid_enum' })]);
    await t.http.post('/subscribers/not-a-uuid/unsubscribe').set(admin).expect(400);
    await t.http.post('/subscribers/00000000-0000-4000-8000-000000000000/unsubscribe').set(admin).expect(404);
  });

  it('should unsubscribe someone on their behalf: listed unsubscribed, suppressed for every mailing, audited once however often it is asked', async () => {
    const [murad] = (await list({ q: 'murad' })).items;
    const first = await t.http.post(`/subscribers/${murad.id}/unsubscribe`).set(admin).expect(200);
    expect(first.body).toEqual(
      expect.objectContaining({ id: murad.id, status: 'unsubscribed', unsubscribedAt: expect.any(String) }),
    );
    const second = await t.http.post(`/subscribers/${murad.id}/unsubscribe`).set(admin).expect(200);
    expect(second.body).toEqual(first.body);
    expect((await list({ q: 'murad' })).items[0].status).toBe('unsubscribed');
    expect((await list()).counts).toEqual({ confirmed: 1, pending: 1, unsubscribed: 2 });
    const suppressed = await t.http.get('/suppressions').query({ q: 'murad@' }).set(admin).expect(200);
    expect(suppressed.body.items).toEqual([
      expect.objectContaining({ email: 'murad@example.org', reason: 'unsubscribed' }),
    ]);
    const audit = await t.http
      .get('/audit-log')
      .query({ entityType: 'subscriber', entityId: murad.id })
      .set(admin)
      .expect(200);
    expect(
      audit.body.items.map((entry: { action: string; after: { status: string } }) => [
        entry.action,
        entry.after.status,
      ]),
    ).toEqual([['subscriber.unsubscribe', 'unsubscribed']]);
  });

  it('should refuse organizers the subscriber list and the unsubscribe', async () => {
    const organizer = await t.auth('organizer');
    const [leyla] = (await list({ q: 'leyla' })).items;
    await t.http.get('/subscribers').set(organizer).expect(403);
    await t.http.post(`/subscribers/${leyla.id}/unsubscribe`).set(organizer).expect(403);
    await t.http.get('/subscribers').expect(401);
    expect((await list({ q: 'leyla' })).items[0].status).toBe('confirmed');
  });

  it('should keep the counts per state exact through every kind of change, compaction beside new sign-ups included, and a truncation', async () => {
    const truth = async () =>
      Object.fromEntries(
        (
          await t.db.query<{ status: string; count: number }>(
            'SELECT status, count(*)::int AS count FROM subscribers GROUP BY status',
          )
        ).map((row) => [row.status, row.count]),
      );
    const service = t.app.get(SubscribersService);
    // Statements of every kind, each appending its own rows, while the app folds them on its own connections.
    const changes = (async () => {
      for (let round = 0; round < 15; round += 1) {
        await t.db.query(
          `INSERT INTO subscribers (email, locale, status) SELECT 'count-' || $1 || '-' || n || '@example.org', 'en', 'pending' FROM generate_series(1, 4) AS n`,
          [round],
        );
        await t.db.query(
          `UPDATE subscribers SET status = 'confirmed', confirmed_at = now() WHERE email = 'count-' || $1 || '-1@example.org'`,
          [round],
        );
        // Changes no state: no row to fold.
        await t.db.query(`UPDATE subscribers SET name = 'Renamed' WHERE email = 'count-' || $1 || '-2@example.org'`, [
          round,
        ]);
        await t.db.query(`DELETE FROM subscribers WHERE email = 'count-' || $1 || '-3@example.org'`, [round]);
        await t.db.query(
          `INSERT INTO subscribers (email, locale, status) VALUES ('count-' || $1 || '-4@example.org', 'en', 'pending') ON CONFLICT DO NOTHING`,
          [round],
        );
      }
    })();
    const folds = (async () => {
      for (let run = 0; run < 10; run += 1) await service.compactCounts();
    })();
    await Promise.all([changes, folds]);
    const expected = await truth();
    expect(expected).toEqual({ confirmed: 16, pending: 31, unsubscribed: 2 });
    expect((await list()).counts).toEqual(expected);
    await service.compactCounts();
    expect((await list()).counts).toEqual(expected);
    expect(await t.db.query('SELECT status FROM subscriber_counts ORDER BY status')).toEqual([
      { status: 'confirmed' },
      { status: 'pending' },
      { status: 'unsubscribed' },
    ]);
    await t.db.query('TRUNCATE subscribers CASCADE');
    expect((await list()).counts).toEqual({ confirmed: 0, pending: 0, unsubscribed: 0 });
  });
});
