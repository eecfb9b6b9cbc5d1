import { DeliveriesRepository } from '../src/mailings/deliveries.repository';
import { DeliveriesQueue } from '../src/mailings/deliveries.queue';
import { FixedClock } from '../src/common/clock';
import { createTestApp, TestApp } from './support/app';
import { eventually } from './support/eventually';
import { insertCeremony } from './support/factories';

type Headers = { Authorization: string };

const NOW = new Date('2027-01-15T08:00:00Z');
const CONTENT = {
  az: { subject: 'Xatırlatma', text: 'Hörmətli {{name}}. {{unsubscribeUrl}}' },
  en: { subject: 'Reminder', text: 'Dear {{name}}. {{unsubscribeUrl}}' },
  ru: { subject: 'Напоминание', text: 'Уважаемый(ая) {{name}}. {{unsubscribeUrl}}' },
};

describe('Hard bounces', () => {
  let t: TestApp;
  let admin: Headers;
  let organizer: Headers;
  let ceremonyId: string;

  beforeAll(async () => {
    t = await createTestApp({
      clock: new FixedClock(NOW),
      env: { MAILING_RETRY_BASE_MS: '0', MAILING_MAX_ATTEMPTS: '2', MAILING_FAILURE_MIN_SAMPLE: '1000' },
    });
    admin = await t.auth('admin');
    organizer = await t.auth('organizer');
    ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await t.db.query('DELETE FROM subscribers');
    await t.db.query('DELETE FROM suppressions');
    t.smtp.clear();
  });

  async function addSubscribers(emails: string[]): Promise<void> {
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at) SELECT lower(e), 'Friend', 'en', 'confirmed', now() FROM unnest($1::text[]) AS e`,
      [emails],
    );
  }

  /** Creates and sends a mailing to the subscribers, and runs the processor until nothing is due. */
  async function sendMailing(): Promise<string> {
    const created = await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Reminder', audience: { kind: 'subscribers', ceremonyId }, content: CONTENT })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    const processor = t.app.get(DeliveriesQueue).runner;
    while ((await processor.processDueBatch()) > 0);
    return id;
  }

  async function suppressionOf(email: string): Promise<{ reason: string; source: string | null } | undefined> {
    const [row] = await t.db.query<{ reason: string; source: string | null }>(
      `SELECT reason, source FROM suppressions WHERE email = $1`,
      [email],
    );
    return row;
  }

  it('should suppress an address refused with 550 at RCPT TO, so that 0 of 3 later mailings reach it', async () => {
    await addSubscribers(['gone@example.org', 'here@example.org']);
    t.smtp.refuseRecipient('gone@example.org', 550, '5.1.1 No such user here');
    try {
      const first = await sendMailing();
      const [failed] = await t.db.query<{ id: string; status: string }>(
        `SELECT id::text, status FROM deliveries WHERE mailing_id = $1 AND email = 'gone@example.org'`,
        [first],
      );
      expect(failed.status).toBe('failed');
      expect(await suppressionOf('gone@example.org')).toEqual({ reason: 'bounced', source: `delivery:${failed.id}` });
      expect(await suppressionOf('here@example.org')).toBeUndefined();
    } finally {
      t.smtp.acceptRecipient('gone@example.org');
    }
    // The mailbox works again, yet no later mailing tries it.
    const later = [await sendMailing(), await sendMailing(), await sendMailing()];
    const [{ reached }] = await t.db.query<{ reached: number }>(
      `SELECT count(*)::int AS reached FROM deliveries WHERE mailing_id = ANY($1::uuid[]) AND email = 'gone@example.org'`,
      [later],
    );
    expect(reached).toBe(0);
    expect(t.smtp.to('gone@example.org')).toHaveLength(0);
    expect(t.smtp.to('here@example.org')).toHaveLength(4);
  });

  it('should not suppress an address whose message was refused with a 5xx after DATA', async () => {
    await addSubscribers(['big@example.org']);
    t.smtp.failNext(1, 552, '5.3.4 Message too big');
    const id = await sendMailing();
    const [row] = await t.db.query<{ status: string }>(`SELECT status FROM deliveries WHERE mailing_id = $1`, [id]);
    expect(row.status).toBe('failed');
    expect(await suppressionOf('big@example.org')).toBeUndefined();
  });

  it('should not suppress an address refused at RCPT TO with a 4xx, even when its retries run out', async () => {
    await addSubscribers(['busy@example.org']);
    t.smtp.refuseRecipient('busy@example.org', 450, '4.2.1 Mailbox busy');
    try {
      const id = await sendMailing();
      const [row] = await t.db.query<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM deliveries WHERE mailing_id = $1`,
        [id],
      );
      expect(row).toEqual({ status: 'failed', attempts: 2 });
    } finally {
      t.smtp.acceptRecipient('busy@example.org');
    }
    expect(await suppressionOf('busy@example.org')).toBeUndefined();
  });

  it('should keep an existing unsubscribe when the same address then bounces', async () => {
    const repository = t.app.get(DeliveriesRepository);
    const [mailing] = await t.db.query<{ id: string }>(
      `INSERT INTO mailings (name, audience, content, status) VALUES ('Direct', '{"kind":"subscribers"}', '{}', 'sending') RETURNING id`,
    );
    const [delivery] = await t.db.query<{ id: string }>(
      `INSERT INTO deliveries (mailing_id, email, source_type, status, claimed_by, claimed_at, next_attempt_at) VALUES ($1, 'left@example.org', 'subscriber', 'sending', 'me', now(), now()) RETURNING id::text`,
      [mailing.id],
    );
    await t.db.query(
      `INSERT INTO suppressions (email, reason, source) VALUES ('left@example.org', 'unsubscribed', 'delivery:1')`,
    );
    await repository.recordOutcomes(
      [{ id: delivery.id, status: 'failed', reply: '550 5.1.1 No such user', at: NOW, bounced: true }],
      'me',
    );
    expect(await suppressionOf('left@example.org')).toEqual({ reason: 'unsubscribed', source: 'delivery:1' });
    const [row] = await t.db.query<{ status: string }>(`SELECT status FROM deliveries WHERE id = $1`, [delivery.id]);
    expect(row.status).toBe('failed');
  });

  it('should still send transactional mail (a booking confirmation) to a bounced address', async () => {
    await addSubscribers(['visitor@example.org']);
    t.smtp.refuseRecipient('visitor@example.org', 550, '5.1.1 No such user here');
    try {
      await sendMailing();
    } finally {
      t.smtp.acceptRecipient('visitor@example.org');
    }
    expect((await suppressionOf('visitor@example.org'))?.reason).toBe('bounced');
    const start = new Date('2027-02-26T06:00:00Z');
    const slot = await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(),
        capacity: 10,
      })
      .expect(201);
    await t.http
      .post(`/visit-slots/${(slot.body as { id: string }).id}/bookings`)
      .send({ name: 'Visitor', partySize: 1, email: 'visitor@example.org' })
      .expect(201);
    const mails = await eventually(
      async () => t.smtp.to('visitor@example.org'),
      (received) => received.length > 0,
      30_000,
      'the booking confirmation',
    );
    expect(mails).toHaveLength(1);
  });

  describe('the suppression list for admins', () => {
    beforeEach(async () => {
      await t.db.query(
        `INSERT INTO suppressions (email, reason, source, created_at) VALUES
           ('bounced-a@example.org', 'bounced', 'delivery:1', now() - interval '3 minutes'),
           ('bounced-b@example.net', 'bounced', 'delivery:2', now() - interval '2 minutes'),
           ('left@example.org', 'unsubscribed', 'delivery:3', now() - interval '1 minute'),
           ('erased@example.org', 'erased', NULL, now())`,
      );
    });

    it('should list suppressions newest first with email, reason, source and createdAt, filtered by reason and address', async () => {
      const all = await t.http.get('/suppressions').set(admin).expect(200);
      expect(all.body.total).toBe(4);
      expect(all.body.items.map((row: { email: string }) => row.email)).toEqual([
        'erased@example.org',
        'left@example.org',
        'bounced-b@example.net',
        'bounced-a@example.org',
      ]);
      expect(all.body.items[1]).toEqual({
        email: 'left@example.org',
        reason: 'unsubscribed',
        source: 'delivery:3',
        createdAt: expect.any(String),
      });

      const bounced = await t.http
        .get('/suppressions')
        .query({ reason: 'bounced', limit: 1, offset: 1 })
        .set(admin)
        .expect(200);
      expect(bounced.body).toEqual({
        total: 2,
        items: [expect.objectContaining({ email: 'bounced-a@example.org', reason: 'bounced' })],
      });
      const searched = await t.http.get('/suppressions').query({ q: 'EXAMPLE.NET' }).set(admin).expect(200);
      expect(searched.body.items.map((row: { email: string }) => row.email)).toEqual(['bounced-b@example.net']);
      // % is a character to find, not a wildcard.
      expect((await t.http.get('/suppressions').query({ q: '%' }).set(admin).expect(200)).body.total).toBe(0);
    });

    it('should download the filtered list as CSV', async () => {
      const csv = await t.http.get('/suppressions').query({ reason: 'bounced', format: 'csv' }).set(admin).expect(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.headers['content-disposition']).toContain('suppressions.csv');
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('email,reason,source,created_at');
      expect(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
        'bounced-b@example.net,bounced,delivery:2',
        'bounced-a@example.org,bounced,delivery:1',
      ]);
    });

    it('should reject a bad filter with a 400 naming the field', async () => {
      const response = await t.http.get('/suppressions').query({ reason: 'spam' }).set(admin).expect(400);
      expect(JSON.stringify(response.body)).toContain('reason');
    });

    it('should let an admin remove a bounce, audited, so the next mailing reaches the address again', async () => {
      await addSubscribers(['bounced-a@example.org']);
      await t.http
        .delete(`/suppressions/${encodeURIComponent('Bounced-A@example.org')}`)
        .set(admin)
        .expect(204);
      expect(await suppressionOf('bounced-a@example.org')).toBeUndefined();
      const [entry] = await t.db.query<{ action: string; before: { email: string; reason: string } }>(
        `SELECT action, before FROM audit_log WHERE action = 'suppression.remove'`,
      );
      expect(entry.before).toMatchObject({ email: 'bounced-a@example.org', reason: 'bounced' });
      await sendMailing();
      expect(t.smtp.to('bounced-a@example.org')).toHaveLength(1);
      await t.http
        .delete(`/suppressions/${encodeURIComponent('bounced-a@example.org')}`)
        .set(admin)
        .expect(404);
    });

    it('should refuse with 409 to remove an unsubscribe or an erasure, which only the owner lifts', async () => {
      await t.http
        .delete(`/suppressions/${encodeURIComponent('left@example.org')}`)
        .set(admin)
        .expect(409);
      await t.http
        .delete(`/suppressions/${encodeURIComponent('erased@example.org')}`)
        .set(admin)
        .expect(409);
      expect(await suppressionOf('left@example.org')).toMatchObject({ reason: 'unsubscribed' });
      expect(await suppressionOf('erased@example.org')).toMatchObject({ reason: 'erased' });
    });

    it('should refuse organizers and anonymous callers', async () => {
      await t.http.get('/suppressions').set(organizer).expect(403);
      await t.http
        .delete(`/suppressions/${encodeURIComponent('bounced-a@example.org')}`)
        .set(organizer)
        .expect(403);
      await t.http.get('/suppressions').expect(401);
      expect(await suppressionOf('bounced-a@example.org')).toMatchObject({ reason: 'bounced' });
    });
  });
});
