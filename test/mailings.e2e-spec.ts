import { parse } from 'csv-parse/sync';
import { AudienceSources } from '../src/mailings/audience-sources';
import { DeliveriesRepository } from '../src/mailings/deliveries.repository';
import { DeliveriesQueue } from '../src/mailings/deliveries.queue';
import { createTestApp, TestApp } from './support/app';
import { rawHeader, ReceivedMail } from './support/smtp-sink';

type Headers = { Authorization: string };
interface MailingBody {
  id: string;
  status: string;
  counts: { total: number; queued: number; sent: number; failed: number; skipped: number; cancelled: number };
  rate?: { lastMinute: number; perMinute: number };
}

const CONTENT = {
  az: {
    subject: 'Xatırlatma: {{ceremonyTitle}}',
    text: 'Hörmətli {{name}}, mərasim {{ceremonyStartTime}} başlayır. {{venue}}\nAbunəlikdən çıxmaq: {{unsubscribeUrl}}',
  },
  en: {
    subject: 'Reminder: {{ceremonyTitle}}',
    text: 'Dear {{name}}, the ceremony begins {{ceremonyStartTime}}. {{venue}}\nUnsubscribe: {{unsubscribeUrl}}',
    html: '<p>Dear {{name}}, the ceremony begins {{ceremonyStartTime}}.</p>',
  },
  ru: {
    subject: 'Напоминание: {{ceremonyTitle}}',
    text: 'Уважаемый(ая) {{name}}, церемония начнётся {{ceremonyStartTime}}. {{venue}}\nОтписаться: {{unsubscribeUrl}}',
  },
};

/** createTestApp leaves earlier overrides in process.env; each extra instance starts from the defaults. */
const RESET_ENV = {
  SMTP_RATE_PER_HOUR: undefined,
  MAILING_FAILURE_MIN_SAMPLE: undefined,
  MAILING_FAILURE_THRESHOLD: undefined,
  MAILING_BATCH_SIZE: undefined,
};

/** Runs the processor until nothing is due (what the scheduler loop does in production). */
async function drain(...apps: TestApp[]): Promise<void> {
  await Promise.all(
    apps.map(async (app) => {
      const processor = app.app.get(DeliveriesQueue).runner;
      while ((await processor.processDueBatch()) > 0);
    }),
  );
}

async function addSubscribers(
  t: TestApp,
  people: Array<{ email: string; name?: string; locale?: string }>,
): Promise<void> {
  await t.db.query(
    `INSERT INTO subscribers (email, name, locale, status, confirmed_at)
     SELECT lower(p.email), p.name, p.locale, 'confirmed', now() FROM unnest($1::text[], $2::text[], $3::text[]) AS p(email, name, locale)`,
    [
      people.map((person) => person.email),
      people.map((person) => person.name ?? null),
      people.map((person) => person.locale ?? 'en'),
    ],
  );
}

function textOf(mail: ReceivedMail): string {
  return mail.parsed.text ?? '';
}

describe('Mailings', () => {
  let t: TestApp;
  let admin: Headers;
  let ceremonyId: string;

  async function createMailing(body: Record<string, unknown> = {}): Promise<string> {
    const response = await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Reminder', audience: { kind: 'subscribers', ceremonyId }, content: CONTENT, ...body })
      .expect(201);
    expect((response.body as MailingBody).status).toBe('draft');
    return (response.body as MailingBody).id;
  }

  async function getMailing(id: string): Promise<MailingBody> {
    return (await t.http.get(`/mailings/${id}`).set(admin).expect(200)).body as MailingBody;
  }

  /** A second app on this database and sink whose delivery loop runs; `close` may be called again in `finally`. */
  async function startLoopingApp(env: Record<string, string>): Promise<{ app: TestApp; close: () => Promise<void> }> {
    const app = await createTestApp({
      database: t.db,
      smtp: t.smtp,
      env: { ...RESET_ENV, SCHEDULER_ENABLED: 'true', ...env },
    });
    let closing: Promise<void> | undefined;
    return { app, close: () => (closing ??= app.close()) };
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { MAILING_RETRY_BASE_MS: '0', MAILING_FAILURE_MIN_SAMPLE: '1000' } });
    admin = await t.auth('admin');
    // (Not the shared insertCeremony factory: its untyped $6 fails on PostgreSQL with "inconsistent types deduced".)
    const [ceremony] = await t.db.query<{ id: string }>(
      `INSERT INTO ceremonies (year, title, date, start_time, time_zone, venue_name, venue_address, status, locales, published_at)
       VALUES (2027, 'Khojaly Remembrance Day 2027', '2027-02-26', '10:00', 'Asia/Baku', 'Khojaly Genocide Memorial', 'Khatai district, Baku', 'published', '{az,en,ru}', now()) RETURNING id`,
    );
    ceremonyId = ceremony.id;
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await t.db.query('DELETE FROM subscribers');
    await t.db.query('DELETE FROM suppressions');
    t.smtp.clear();
  });

  it('should send each subscriber the message in their language with the time zone named', async () => {
    await addSubscribers(t, [
      { email: 'aysel@example.org', name: 'Aysel', locale: 'az' },
      { email: 'john@example.org', name: 'John <Smith>', locale: 'en' },
      { email: 'olga@example.org', name: 'Ольга', locale: 'ru' },
    ]);
    const id = await createMailing();
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    await drain(t);

    const az = t.smtp.to('aysel@example.org');
    const en = t.smtp.to('john@example.org');
    const ru = t.smtp.to('olga@example.org');
    expect([az.length, en.length, ru.length]).toEqual([1, 1, 1]);
    expect(az[0].parsed.subject).toBe('Xatırlatma: Khojaly Remembrance Day 2027');
    expect(textOf(az[0])).toContain('Hörmətli Aysel, mərasim 26 fevral 2027, 10:00 (Asia/Baku, GMT+4) başlayır.');
    expect(ru[0].parsed.subject).toBe('Напоминание: Khojaly Remembrance Day 2027');
    expect(textOf(ru[0])).toContain('церемония начнётся 26 февраля 2027, 10:00 (Asia/Baku, GMT+4)');
    expect(ru[0].parsed.headers.get('content-language')).toBe('ru');
    // Text is not escaped, HTML is.
    expect(textOf(en[0])).toContain(
      'Dear John <Smith>, the ceremony begins February 26, 2027, 10:00 (Asia/Baku, GMT+4).',
    );
    expect(en[0].parsed.html).toContain('Dear John &lt;Smith&gt;');
    expect(en[0].parsed.from?.value[0].address).toBe('no-reply@commemoration.test');
    expect(en[0].parsed.replyTo?.value[0].address).toBe('organizers@commemoration.test');
    expect(en[0].parsed.messageId).toMatch(/@commemoration\.test>$/);

    const mailing = await getMailing(id);
    expect(mailing.status).toBe('sent');
    expect(mailing.counts).toMatchObject({ total: 3, queued: 0, sent: 3, failed: 0, skipped: 0 });
    expect(mailing.rate?.lastMinute).toBe(3);
  });

  it('should refuse an unknown template variable at save time, naming the locale and field', async () => {
    const response = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Broken',
        audience: { kind: 'subscribers' },
        content: { ...CONTENT, ru: { subject: 'x', text: 'Здравствуйте, {{foo}}' } },
      })
      .expect(400);
    expect((response.body as { message: string[] }).message).toEqual(['content.ru.text uses unknown variable {{foo}}']);
    const id = await createMailing();
    const patched = await t.http
      .patch(`/mailings/${id}`)
      .set(admin)
      .send({ content: { en: { subject: '{{#each name}}{{/each}}', text: 'x' } } })
      .expect(400);
    expect((patched.body as { message: string[] }).message).toEqual([
      'content.en.subject uses unknown helper {{#each}}',
    ]);
  });

  it('should refuse an audience that cannot be served, and a mailing without content', async () => {
    const response = await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Volunteers', audience: { kind: 'volunteers' }, content: CONTENT })
      .expect(400);
    expect(JSON.stringify(response.body.message)).toContain('audience.ceremonyId is required for volunteers');
    await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Empty', audience: { kind: 'subscribers' }, content: {} })
      .expect(400);
    await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Bad', audience: { kind: 'everyone' }, content: CONTENT })
      .expect(400);
  });

  it('should keep mailings to admins', async () => {
    const organizer = await t.auth('organizer');
    await t.http.get('/mailings').set(organizer).expect(403);
    await t.http.get('/mailings').expect(401);
  });

  it('should preview one audience member in their language, or a sample recipient', async () => {
    await addSubscribers(t, [{ email: 'olga@example.org', name: 'Ольга', locale: 'ru' }]);
    const id = await createMailing();
    const real = await t.http
      .post(`/mailings/${id}/preview`)
      .set(admin)
      .send({ sample: 'OLGA@example.org' })
      .expect(200);
    expect(real.body).toMatchObject({
      audienceMember: true,
      email: 'olga@example.org',
      name: 'Ольга',
      locale: 'ru',
      subject: 'Напоминание: Khojaly Remembrance Day 2027',
    });
    const sample = await t.http
      .post(`/mailings/${id}/preview`)
      .set(admin)
      .send({ sample: 'nobody@example.org', locale: 'en' })
      .expect(200);
    expect(sample.body).toMatchObject({
      audienceMember: false,
      locale: 'en',
      subject: 'Reminder: Khojaly Remembrance Day 2027',
    });
    expect((sample.body as { html: string }).html).toContain('<p>Dear Sample Recipient');
    expect(t.smtp.received).toHaveLength(0);
  });

  it('should send a test copy to that one address only, outside the ledger', async () => {
    await addSubscribers(t, [{ email: 'olga@example.org', locale: 'ru' }]);
    const id = await createMailing();
    await t.http
      .post(`/mailings/${id}/test`)
      .set(admin)
      .send({ email: 'editor@example.org', locale: 'en' })
      .expect(202);
    const mail = await t.smtp.waitForMailTo('editor@example.org');
    expect(mail.parsed.subject).toBe('[TEST] Reminder: Khojaly Remembrance Day 2027');
    expect(mail.envelopeTo).toEqual(['editor@example.org']);
    await drain(t);
    expect(t.smtp.received).toHaveLength(1);
    expect((await getMailing(id)).counts.total).toBe(0);
    expect((await getMailing(id)).status).toBe('draft');
  });

  it('should mail an address once even when two sources (and two spellings) give it', async () => {
    // A stand-in for the visitors source that the visits feature registers.
    t.app.get(AudienceSources).register({
      kind: 'visitors',
      sourceType: 'test-visitor',
      priority: 10,
      ceremony: 'optional',
      select: () =>
        `SELECT * FROM (VALUES ('Same@Example.org', 'Visitor Same', 'ru', 'test-visitor', 'v1', 'https://commemoration.test/manage/v1'), ('SAME@example.org', 'Visitor Again', 'ru', 'test-visitor', 'v2', NULL), ('visitor-only@example.org', 'Only', 'en', 'test-visitor', 'v3', NULL)) AS v(email, name, locale, source_type, source_id, manage_url)`,
      eligibleSql: 'true',
    });
    await addSubscribers(t, [
      { email: 'same@example.org', name: 'Subscriber Same', locale: 'az' },
      { email: 'subscriber-only@example.org' },
    ]);
    const id = await createMailing({
      audience: { kind: 'all', ceremonyId },
      content: { en: { subject: 'S', text: '{{name}} {{manageUrl}}' } },
    });
    const sent = await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    expect((sent.body as MailingBody).counts.total).toBe(3);
    await drain(t);
    expect(t.smtp.to('same@example.org')).toHaveLength(1);
    expect(t.smtp.received).toHaveLength(3);
    // The higher-priority source (visitors) gives the name and the manage link.
    expect(textOf(t.smtp.to('same@example.org')[0])).toContain('Visitor Same https://commemoration.test/manage/v1');
  });

  it('should skip, at send time, someone who unsubscribed or stopped being eligible after the freeze', async () => {
    await addSubscribers(t, [
      { email: 'stays@example.org' },
      { email: 'leaves@example.org' },
      { email: 'lapsed@example.org' },
    ]);
    const id = await createMailing();
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    await t.db.query(
      `INSERT INTO suppressions (email, reason, source) VALUES ('leaves@example.org', 'unsubscribed', 'test')`,
    );
    await t.db.query(`UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'lapsed@example.org'`);
    await drain(t);
    expect(t.smtp.received.map((mail) => mail.envelopeTo[0])).toEqual(['stays@example.org']);
    const deliveries = await t.http.get(`/mailings/${id}/deliveries?status=skipped`).set(admin).expect(200);
    const skipped = (deliveries.body as { items: Array<{ email: string; skipReason: string }> }).items
      .map((row) => [row.email, row.skipReason])
      .sort();
    expect(skipped).toEqual([
      ['lapsed@example.org', 'no longer eligible'],
      ['leaves@example.org', 'suppressed'],
    ]);
    expect((await getMailing(id)).counts).toMatchObject({ total: 3, sent: 1, skipped: 2 });
  });

  it('should carry one-click unsubscribe headers that work without auth, and leave that person out of the next mailing', async () => {
    await addSubscribers(t, [{ email: 'olga@example.org', locale: 'ru' }, { email: 'other@example.org' }]);
    const first = await createMailing();
    await t.http.post(`/mailings/${first}/send`).set(admin).send({}).expect(202);
    await drain(t);
    const mail = await t.smtp.waitForMailTo('olga@example.org');

    const listUnsubscribe = rawHeader(mail, 'List-Unsubscribe')!;
    expect(listUnsubscribe).toMatch(/^<https:\/\/commemoration\.test\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
    expect(mail.raw).toContain(`List-Unsubscribe: ${listUnsubscribe}\r\n`);
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const path = new URL(listUnsubscribe.slice(1, -1)).pathname;
    // The link in the text opens the page in the language of the mail.
    expect(
      textOf(mail)
        .trim()
        .endsWith(`${listUnsubscribe.slice(1, -1)}?lang=ru`),
    ).toBe(true);

    const page = await t.http.get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toMatch(/<form method="post"><button type="submit">Отписаться<\/button><\/form>/);

    await t.http.post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await t.http.post(path).expect(200);
    const [subscriber] = await t.db.query<{ status: string }>(
      `SELECT status FROM subscribers WHERE email = 'olga@example.org'`,
    );
    expect(subscriber.status).toBe('unsubscribed');
    const [suppression] = await t.db.query<{ reason: string }>(
      `SELECT reason FROM suppressions WHERE email = 'olga@example.org'`,
    );
    expect(suppression.reason).toBe('unsubscribed');

    const unknown = await t.http.post(`/unsubscribe/${'B'.repeat(43)}`).expect(404);
    const malformed = await t.http.get('/unsubscribe/whatever').expect(404);
    expect(unknown.body).toEqual(malformed.body);

    t.smtp.clear();
    const second = await createMailing();
    await t.http.post(`/mailings/${second}/send`).set(admin).send({}).expect(202);
    await drain(t);
    expect(t.smtp.received.map((received) => received.envelopeTo[0])).toEqual(['other@example.org']);
  });

  it('should send a row a dead instance left in flight again with the same Message-ID, and keep the first link working', async () => {
    await addSubscribers(t, [{ email: 'inflight@example.org' }]);
    const id = await createMailing();
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    await drain(t);
    // As if the instance had died after the relay accepted the message, before it wrote the outcome.
    await t.db.query(
      `UPDATE deliveries SET status = 'sending', sent_at = NULL, claimed_by = 'dead-instance', claimed_at = now() - interval '1 day' WHERE mailing_id = $1`,
      [id],
    );
    await t.db.query(`UPDATE mailings SET status = 'sending', completed_at = NULL WHERE id = $1`, [id]);
    await drain(t);
    const [first, again] = t.smtp.to('inflight@example.org');
    expect(again).toBeDefined();
    expect(rawHeader(again, 'Message-ID')).toBe(rawHeader(first, 'Message-ID'));
    const link = (mail: typeof first) => new URL(rawHeader(mail, 'List-Unsubscribe')!.slice(1, -1)).pathname;
    expect(link(again)).not.toBe(link(first));
    await t.http.post(link(first)).expect(200);
    expect(await t.db.query(`SELECT reason FROM suppressions WHERE email = 'inflight@example.org'`)).toEqual([
      { reason: 'unsubscribed' },
    ]);
    expect((await getMailing(id)).counts).toMatchObject({ total: 1, sent: 1 });
  });

  it('should not take back its own rows past the lease: it is still sending them', async () => {
    await addSubscribers(t, [{ email: 'own@example.org' }]);
    const id = await createMailing();
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    const processor = t.app.get(DeliveriesQueue).runner;
    await t.db.query(
      `UPDATE deliveries SET status = 'sending', claimed_by = $2, claimed_at = now() - interval '1 day' WHERE mailing_id = $1`,
      [id, processor.instanceId],
    );
    expect(await processor.processDueBatch()).toBe(0);
    expect(t.smtp.received).toHaveLength(0);
    await t.db.query(
      `UPDATE deliveries SET status = 'queued', claimed_by = NULL, claimed_at = NULL WHERE mailing_id = $1`,
      [id],
    );
    await t.http.post(`/mailings/${id}/cancel`).set(admin).expect(200);
  });

  it('should give back rows claimed ahead whose mailing was cancelled or stopped meanwhile, and keep the others', async () => {
    await addSubscribers(t, [{ email: 'ahead@example.org' }]);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const ids = [await createMailing(), await createMailing(), await createMailing()];
    for (const id of ids) await t.http.post(`/mailings/${id}/send`).set(admin).send({ at }).expect(202);
    const [live, cancelled, stopped] = ids;
    await t.db.query(
      `UPDATE deliveries SET status = 'sending', claimed_by = 'this-instance', claimed_at = now() WHERE mailing_id = ANY($1::uuid[])`,
      [ids],
    );
    await t.db.query(
      `UPDATE mailings SET status = CASE id WHEN $1::uuid THEN 'sending' WHEN $2::uuid THEN 'cancelled' ELSE 'stopped' END WHERE id = ANY($3::uuid[])`,
      [live, cancelled, ids],
    );
    const rows = await t.db.query<{ id: string; mailing_id: string }>(
      `SELECT id::text, mailing_id FROM deliveries WHERE mailing_id = ANY($1::uuid[])`,
      [ids],
    );
    const given = await t.app.get(DeliveriesRepository).releaseOfStoppedMailings(
      rows.map((row) => row.id),
      'this-instance',
    );
    expect([...given].sort()).toEqual(
      rows
        .filter((row) => row.mailing_id !== live)
        .map((row) => row.id)
        .sort(),
    );
    const after = await t.db.query(
      `SELECT mailing_id, status, skip_reason, claimed_by FROM deliveries WHERE mailing_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(after).toEqual(
      expect.arrayContaining([
        { mailing_id: live, status: 'sending', skip_reason: null, claimed_by: 'this-instance' },
        { mailing_id: cancelled, status: 'cancelled', skip_reason: 'mailing cancelled', claimed_by: null },
        { mailing_id: stopped, status: 'queued', skip_reason: null, claimed_by: null },
      ]),
    );
    await t.db.query(`UPDATE mailings SET status = 'cancelled' WHERE id = $1`, [live]);
    await t.db.query(
      `UPDATE deliveries SET status = 'cancelled', claimed_by = NULL, claimed_at = NULL WHERE mailing_id = $1`,
      [live],
    );
  });

  it('should retry after a 421 and then deliver once', async () => {
    await addSubscribers(t, [{ email: 'retry@example.org' }]);
    const id = await createMailing();
    t.smtp.failNext(1, 421, 'Try again later');
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    await drain(t);
    expect(t.smtp.to('retry@example.org')).toHaveLength(1);
    const [row] = await t.db.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM deliveries WHERE mailing_id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('should mark a 550 as failed with the server reply, without retrying', async () => {
    await addSubscribers(t, [{ email: 'gone@example.org' }]);
    const id = await createMailing();
    t.smtp.failNext(1, 550, 'No such user here');
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    await drain(t);
    const deliveries = await t.http.get(`/mailings/${id}/deliveries`).set(admin).expect(200);
    const [row] = (deliveries.body as { items: Array<{ status: string; attempts: number; smtpResponse: string }> })
      .items;
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.smtpResponse).toMatch(/550.*No such user here/);
    expect(t.smtp.received).toHaveLength(0);
    expect((await getMailing(id)).counts).toMatchObject({ failed: 1, sent: 0 });
  });

  it('should cancel what is not yet sent', async () => {
    await addSubscribers(t, [{ email: 'a@example.org' }, { email: 'b@example.org' }]);
    const id = await createMailing();
    const at = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await t.http.post(`/mailings/${id}/send`).set(admin).send({ at }).expect(202);
    expect((scheduled.body as MailingBody).status).toBe('scheduled');
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(409);
    const cancelled = await t.http.post(`/mailings/${id}/cancel`).set(admin).expect(200);
    expect((cancelled.body as MailingBody).status).toBe('cancelled');
    expect((cancelled.body as MailingBody).counts).toMatchObject({ total: 2, queued: 0, cancelled: 2 });
    await t.db.query(`UPDATE deliveries SET next_attempt_at = now() - interval '1 minute' WHERE mailing_id = $1`, [id]);
    await drain(t);
    expect(t.smtp.received).toHaveLength(0);
    await t.http.patch(`/mailings/${id}`).set(admin).send({ name: 'Too late' }).expect(409);
  });

  it('should take a mailing ledger away with its mailing, and no other', async () => {
    // deliveries.mailing_id has no per-row foreign key (it slowed the freeze); a trigger keeps the cascade.
    await addSubscribers(t, [{ email: 'a@example.org' }, { email: 'b@example.org' }]);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const [gone, kept] = [await createMailing(), await createMailing()];
    for (const id of [gone, kept]) await t.http.post(`/mailings/${id}/send`).set(admin).send({ at }).expect(202);
    const count = async (id: string) =>
      (await t.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM deliveries WHERE mailing_id = $1', [id]))[0].n;
    expect([await count(gone), await count(kept)]).toEqual([2, 2]);
    await t.db.query('DELETE FROM mailings WHERE id = $1', [gone]);
    expect([await count(gone), await count(kept)]).toEqual([0, 2]);
  });

  it('should export the deliveries as CSV', async () => {
    await addSubscribers(t, [{ email: '=cmd@example.org' }, { email: 'plain@example.org' }]);
    const id = await createMailing();
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
    await drain(t);
    const response = await t.http.get(`/mailings/${id}/deliveries?format=csv`).set(admin).expect(200);
    expect(response.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(response.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => [row.email, row.status]).sort()).toEqual([
      ["'=cmd@example.org", 'sent'],
      ['plain@example.org', 'sent'],
    ]);
    // Sent times in the edition's zone (Asia/Baku, +04:00) beside the UTC instant.
    for (const row of rows) {
      expect(row.sentAt).toMatch(/\+04:00$/);
      expect(new Date(row.sentAt).getTime()).toBe(new Date(row.sentAt_utc).getTime());
    }
  });

  it('should stop a mailing whose failure rate passes the threshold after the minimum sample', async () => {
    const strict = await createTestApp({
      database: t.db,
      smtp: t.smtp,
      env: {
        ...RESET_ENV,
        MAILING_FAILURE_MIN_SAMPLE: '2',
        MAILING_FAILURE_THRESHOLD: '0.5',
        MAILING_BATCH_SIZE: '2',
        SMTP_POOL_CONNECTIONS: '1',
      },
    });
    try {
      await addSubscribers(
        t,
        Array.from({ length: 6 }, (_, index) => ({ email: `bounce-${index}@example.org` })),
      );
      const id = await createMailing();
      t.smtp.failNext(2, 550, 'Mailbox unavailable');
      await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
      await drain(strict);
      const mailing = (await t.http.get(`/mailings/${id}`).set(admin).expect(200)).body as MailingBody & {
        stoppedReason: string;
      };
      expect(mailing.status).toBe('stopped');
      expect(mailing.stoppedReason).toMatch(/2 of 2 attempted deliveries failed/);
      expect(mailing.counts).toMatchObject({ total: 6, failed: 2, sent: 0, queued: 4 });
      expect(t.smtp.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('should send no more per hour than SMTP_RATE_PER_HOUR, counted over all instances', async () => {
    const [{ count }] = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM deliveries WHERE sent_at > now() - interval '1 hour'`,
    );
    const limited = await createTestApp({
      database: t.db,
      smtp: t.smtp,
      env: { ...RESET_ENV, SMTP_RATE_PER_HOUR: String(count + 2) },
    });
    try {
      await addSubscribers(
        t,
        Array.from({ length: 4 }, (_, index) => ({ email: `hourly-${index}@example.org` })),
      );
      const id = await createMailing();
      await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
      await drain(limited);
      expect(t.smtp.received).toHaveLength(2);
      expect((await getMailing(id)).counts).toMatchObject({ sent: 2, queued: 2 });
      await t.http.post(`/mailings/${id}/cancel`).set(admin).expect(200);
    } finally {
      await limited.close();
    }
  });

  it('should keep the hourly cap exact in the running loop too (no batch claimed ahead)', async () => {
    const [{ count }] = await t.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM deliveries WHERE sent_at > now() - interval '1 hour'`,
    );
    const looping = await startLoopingApp({
      MAILING_POLL_MS: '20',
      MAILING_BATCH_SIZE: '5',
      SMTP_RATE_PER_HOUR: String(count + 15),
    });
    try {
      await addSubscribers(
        t,
        Array.from({ length: 40 }, (_, index) => ({ email: `capped-${index}@example.org` })),
      );
      const id = await createMailing();
      await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
      await t.smtp.waitFor((mails) => mails.length >= 15, 20_000, 'the loop to reach the hourly cap');
      // A graceful close lets whatever is in flight finish: an overshoot would show now.
      await looping.close();
      expect(t.smtp.received).toHaveLength(15);
      expect((await getMailing(id)).counts).toMatchObject({ sent: 15, queued: 25 });
      await t.http.post(`/mailings/${id}/cancel`).set(admin).expect(200);
    } finally {
      await looping.close();
    }
  });

  it('should start sending a mailing at once, not at the next poll', async () => {
    const looping = await startLoopingApp({ MAILING_POLL_MS: '600000' });
    try {
      await addSubscribers(t, [{ email: 'at-once@example.org' }]);
      const id = await createMailing();
      // Sent through the instance whose loop polls every 10 minutes: only the wake-up can be this quick.
      await looping.app.http
        .post(`/mailings/${id}/send`)
        .set(await looping.app.auth('admin'))
        .send({})
        .expect(202);
      await t.smtp.waitForMailTo('at-once@example.org', 5_000);
    } finally {
      await looping.close();
    }
  });

  it('should finish or release its batch on shutdown, leaving nothing claimed', async () => {
    const looping = await startLoopingApp({ MAILING_POLL_MS: '20', MAILING_BATCH_SIZE: '100' });
    try {
      await addSubscribers(
        t,
        Array.from({ length: 400 }, (_, index) => ({ email: `shutdown-${index}@example.org` })),
      );
      const id = await createMailing();
      await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
      await t.smtp.waitFor((mails) => mails.length >= 20, 20_000, 'the loop to start sending');
      await looping.close();
      const [row] = await t.db.query<{ sending: number; sent: number }>(
        `SELECT count(*) FILTER (WHERE status = 'sending')::int AS sending, count(*) FILTER (WHERE status = 'sent')::int AS sent FROM deliveries WHERE mailing_id = $1`,
        [id],
      );
      expect(row.sending).toBe(0);
      expect(row.sent).toBeLessThan(400);
      // Every message the sink accepted is recorded as sent: nothing was cut off mid-flight.
      expect(row.sent).toBe(t.smtp.received.length);
      await t.http.post(`/mailings/${id}/cancel`).set(admin).expect(200);
    } finally {
      await looping.close();
    }
  });

  it('should send 2,000 deliveries from two processors on one database with nobody mailed twice', async () => {
    const second = await createTestApp({
      database: t.db,
      smtp: t.smtp,
      env: { ...RESET_ENV, MAILING_RETRY_BASE_MS: '0' },
    });
    try {
      const people = Array.from({ length: 2000 }, (_, index) => ({
        email: `person-${index}@example.org`,
        locale: ['az', 'en', 'ru'][index % 3],
      }));
      await addSubscribers(t, people);
      const id = await createMailing();
      await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);
      await drain(t, second);
      const outcome = await t.db.query(
        `SELECT status, attempts, last_error, count(*)::int AS count FROM deliveries WHERE mailing_id = $1 GROUP BY 1, 2, 3`,
        [id],
      );
      expect(outcome).toEqual([{ status: 'sent', attempts: 1, last_error: null, count: 2000 }]);
      const addresses = t.smtp.received.map((mail) => mail.envelopeTo[0]);
      expect(addresses).toHaveLength(2000);
      expect(new Set(addresses).size).toBe(2000);
      const byInstance = await t.db.query<{ claimed_by: string; count: number }>(
        `SELECT claimed_by, count(*)::int AS count FROM deliveries WHERE mailing_id = $1 GROUP BY claimed_by`,
        [id],
      );
      expect(byInstance).toHaveLength(2);
      expect((await getMailing(id)).counts).toMatchObject({ total: 2000, sent: 2000 });
    } finally {
      await second.close();
    }
    // 2,000 messages through SMTP: about 15 s on a quiet machine, several times that beside other heavy work.
  }, 300_000);
});
