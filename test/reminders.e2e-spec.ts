import { FixedClock } from '../src/common/clock';
import { DeliveriesQueue } from '../src/mailings/deliveries.queue';
import { RemindersService } from '../src/reminders/reminders.service';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';
import { ReceivedMail } from './support/smtp-sink';

type Headers = { Authorization: string };

async function drain(...apps: TestApp[]): Promise<void> {
  await Promise.all(
    apps.map(async (app) => {
      const processor = app.app.get(DeliveriesQueue).runner;
      while ((await processor.processDueBatch()) > 0);
    }),
  );
}

async function addSubscribers(t: TestApp, people: Array<{ email: string; locale: string }>): Promise<void> {
  await t.db.query(
    `INSERT INTO subscribers (email, name, locale, status, confirmed_at)
     SELECT p.email, NULL, p.locale, 'confirmed', now() FROM unnest($1::text[], $2::text[]) AS p(email, locale)`,
    [people.map((person) => person.email), people.map((person) => person.locale)],
  );
}

const text = (mail: ReceivedMail) => mail.parsed.text ?? '';

describe('Anniversary reminders', () => {
  const clock = new FixedClock(new Date('2026-12-01T00:00:00Z'));
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await t.auth('admin');
  });
  afterAll(() => t.close());

  it('should seed the default rules: 30, 7 and 1 days before at 10:00, to everyone', async () => {
    const rules = await t.http.get('/reminder-rules').set(admin).expect(200);
    expect(
      rules.body.map((rule: { offsetDays: number; sendTime: string; audience: string; enabled: boolean }) => [
        rule.offsetDays,
        rule.sendTime,
        rule.audience,
        rule.enabled,
      ]),
    ).toEqual([
      [30, '10:00', 'all', true],
      [7, '10:00', 'all', true],
      [1, '10:00', 'all', true],
    ]);
    const templates = await t.http.get('/reminder-templates').set(admin).expect(200);
    for (const template of templates.body) expect(Object.keys(template.content).sort()).toEqual(['az', 'en', 'ru']);
  });

  it("should fire each run at 10:00 Asia/Baku (06:00 UTC) on the right dates, in each recipient's language, once", async () => {
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    await addSubscribers(t, [
      { email: 'az@example.org', locale: 'az' },
      { email: 'en@example.org', locale: 'en' },
      { email: 'ru@example.org', locale: 'ru' },
    ]);
    const runs = await t.http.get('/reminder-runs').query({ year: 2027 }).set(admin).expect(200);
    expect(runs.body.map((run: { dueAt: string; status: string }) => [run.dueAt, run.status])).toEqual([
      ['2027-01-27T06:00:00.000Z', 'scheduled'],
      ['2027-02-19T06:00:00.000Z', 'scheduled'],
      ['2027-02-25T06:00:00.000Z', 'scheduled'],
    ]);

    const reminders = t.app.get(RemindersService);
    expect(await reminders.tick(new Date('2027-01-27T05:59:59Z'))).toEqual({ fired: 0, missed: 0, skipped: 0 });
    clock.set('2027-01-27T06:00:00Z');
    expect(await reminders.tick(clock.now())).toEqual({ fired: 1, missed: 0, skipped: 0 });
    expect(await reminders.tick(clock.now())).toEqual({ fired: 0, missed: 0, skipped: 0 });
    await drain(t);

    const received = await t.smtp.waitFor((mails) => mails.length >= 3, 10_000, 'three reminders');
    expect(received).toHaveLength(3);
    const byAddress = (address: string) => t.smtp.to(address)[0];
    expect(byAddress('en@example.org').parsed.subject).toContain('remembrance ceremony on February 26, 2027');
    expect(text(byAddress('en@example.org'))).toMatch(/In one month.*\n[\s\S]*Start: .*10:00 \(Asia\/Baku, GMT\+4\)/);
    expect(text(byAddress('az@example.org'))).toMatch(
      /Bir aydan sonra[\s\S]*Başlanğıc: .*10:00 \(Asia\/Baku, GMT\+4\)/,
    );
    expect(text(byAddress('ru@example.org'))).toMatch(/Через месяц[\s\S]*Начало: .*10:00 \(Asia\/Baku, GMT\+4\)/);
    expect(byAddress('ru@example.org').parsed.headerLines.some((line) => line.key === 'list-unsubscribe-post')).toBe(
      true,
    );

    const after = await t.http.get('/reminder-runs').query({ year: 2027 }).set(admin).expect(200);
    const fired = after.body.find((run: { dueAt: string }) => run.dueAt === '2027-01-27T06:00:00.000Z');
    expect(fired).toMatchObject({
      status: 'fired',
      firedAt: '2027-01-27T06:00:00.000Z',
      counts: { total: 3, sent: 3 },
    });
    expect(fired.mailingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ceremony.year).toBe(2027);
    await t.db.query('DELETE FROM subscribers');
    t.smtp.clear();
  });

  it('should move the due times when the edition date moves', async () => {
    const ceremony = await insertCeremony(t.db, { year: 2028 });
    await t.http.patch(`/ceremonies/${ceremony.id}`).set(admin).send({ date: '2028-02-27' }).expect(200);
    const runs = await t.http.get('/reminder-runs').query({ year: 2028 }).set(admin).expect(200);
    expect(runs.body.map((run: { dueAt: string }) => run.dueAt)).toEqual([
      '2028-01-28T06:00:00.000Z',
      '2028-02-20T06:00:00.000Z',
      '2028-02-26T06:00:00.000Z',
    ]);
  });

  it('should catch up within the window after downtime, record older runs as missed and runs due before publication as skipped', async () => {
    const ceremony = await insertCeremony(t.db, { year: 2029 });
    // Published on 2029-02-20: the 30-day run (2029-01-27) was due before that.
    await t.db.query("UPDATE ceremonies SET published_at = '2029-02-20T00:00:00Z' WHERE id = $1", [ceremony.id]);
    const reminders = t.app.get(RemindersService);
    const dryRun = await t.http
      .get('/reminder-runs/dry-run')
      .query({ at: '2029-02-25T17:59:00Z' })
      .set(admin)
      .expect(200);
    expect(dryRun.body.map((item: { action: string; dueAt: string }) => [item.dueAt, item.action])).toEqual([
      ['2029-01-27T06:00:00.000Z', 'skipped'],
      ['2029-02-19T06:00:00.000Z', 'skipped'],
      ['2029-02-25T06:00:00.000Z', 'fire'],
    ]);
    expect(await t.db.query('SELECT 1 FROM reminder_runs WHERE ceremony_id = $1', [ceremony.id])).toHaveLength(0);

    // Down from before 2029-02-25 06:00 until 17:59 the same day: within the 12-hour window.
    clock.set('2029-02-25T17:59:00Z');
    expect(await reminders.tick(clock.now())).toEqual({ fired: 1, missed: 0, skipped: 2 });
    const statuses = await t.db.query<{ status: string }>(
      'SELECT status FROM reminder_runs WHERE ceremony_id = $1 ORDER BY due_at',
      [ceremony.id],
    );
    expect(statuses.map((row) => row.status)).toEqual(['skipped', 'skipped', 'fired']);

    const late = await insertCeremony(t.db, { year: 2030 });
    await t.db.query("UPDATE ceremonies SET published_at = '2029-12-01T00:00:00Z' WHERE id = $1", [late.id]);
    clock.set('2030-02-25T18:00:01Z'); // 12 hours and a second after the 1-day run
    expect(await reminders.tick(clock.now())).toEqual({ fired: 0, missed: 3, skipped: 0 });
    const lateRuns = await t.http.get('/reminder-runs').query({ year: 2030 }).set(admin).expect(200);
    expect(
      lateRuns.body.map((run: { status: string; mailingId: string | null }) => [run.status, run.mailingId]),
    ).toEqual([
      ['missed', null],
      ['missed', null],
      ['missed', null],
    ]);
  });

  it('should refuse a rule with an unknown template and keep the rules unchanged', async () => {
    const before = await t.http.get('/reminder-rules').set(admin).expect(200);
    const response = await t.http
      .put('/reminder-rules')
      .set(admin)
      .send([{ name: 'x', offsetDays: 3, sendTime: '09:00', audience: 'all', templateKey: 'nope', enabled: true }])
      .expect(400);
    expect(JSON.stringify(response.body.message)).toContain('templateKey');
    const bad = await t.http
      .put('/reminder-rules')
      .set(admin)
      .send([
        {
          name: 'x',
          offsetDays: -1,
          sendTime: '25:00',
          audience: 'everyone',
          templateKey: 'reminder-1-day',
          enabled: 'yes',
        },
      ])
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/offsetDays[\s\S]*sendTime|sendTime[\s\S]*offsetDays/);
    expect((await t.http.get('/reminder-rules').set(admin).expect(200)).body).toEqual(before.body);
  });

  it('should refuse a template text with an unknown variable', async () => {
    const response = await t.http
      .put('/reminder-templates/reminder-1-day')
      .set(admin)
      .send({ content: { en: { subject: 'Tomorrow', text: 'Hello {{nickname}}' } } })
      .expect(400);
    expect(JSON.stringify(response.body.message)).toContain('nickname');
  });
});

describe('Anniversary reminders with several instances', () => {
  const clock = new FixedClock(new Date('2026-12-01T00:00:00Z'));
  let instances: TestApp[];

  beforeAll(async () => {
    const first = await createTestApp({ clock });
    const others = await Promise.all([1, 2].map(() => createTestApp({ clock, database: first.db, smtp: first.smtp })));
    instances = [first, ...others];
  });
  afterAll(async () => {
    for (const instance of instances.slice().reverse()) await instance.close();
  });

  it('should record one run and mail each recipient once when three instances tick at once, and skip who left in between', async () => {
    const [first] = instances;
    const admin = await first.auth('admin');
    const ceremony = await insertCeremony(first.db, { year: 2027 });
    await addSubscribers(first, [
      { email: 'stays@example.org', locale: 'en' },
      { email: 'leaves@example.org', locale: 'en' },
    ]);
    const slots = await first.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(admin)
      .send({ startsAt: '2027-02-26T08:00:00Z', endsAt: '2027-02-26T09:00:00Z', capacity: 10 })
      .expect(201);
    const booking = await first.http
      .post(`/visit-slots/${slots.body.id}/bookings`)
      .send({ name: 'Visitor', email: 'visitor@example.org', partySize: 2, locale: 'ru' })
      .expect(201);
    const cancelled = await first.http
      .post(`/visit-slots/${slots.body.id}/bookings`)
      .send({ name: 'Cancels', email: 'cancels@example.org', partySize: 1 })
      .expect(201);
    await first.smtp.waitFor((mails) => mails.length >= 2, 10_000, 'booking confirmations');
    first.smtp.clear();

    clock.set('2027-02-19T06:00:30Z');
    const results = await Promise.all(
      instances.map((instance) => instance.app.get(RemindersService).tick(clock.now())),
    );
    // The 30-day run is 23 days late: beyond the catch-up window, so it is recorded as missed.
    expect(results.reduce((sum, result) => sum + result.fired, 0)).toBe(1);
    expect(results.reduce((sum, result) => sum + result.missed, 0)).toBe(1);
    expect(await first.db.query('SELECT 1 FROM reminder_runs')).toHaveLength(2);

    // After the audience was frozen: one booking is cancelled and one subscriber unsubscribes.
    const cancelToken = new URL(cancelled.body.manageUrl).searchParams.get('token');
    await first.http.delete(`/bookings/manage/${cancelToken}`).expect(200);
    await first.db.query("UPDATE subscribers SET status = 'unsubscribed' WHERE email = 'leaves@example.org'");

    await drain(...instances);
    const received = first.smtp.received.map((mail) => mail.envelopeTo[0]).sort();
    expect(received).toEqual(['stays@example.org', 'visitor@example.org']);
    expect(first.smtp.to('visitor@example.org')[0].parsed.subject).toMatch(/траурная церемония/);
    const [counts] = await first.db.query<{ sent: string; skipped: string }>(
      "SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'skipped') AS skipped FROM deliveries",
    );
    expect(counts).toEqual({ sent: '2', skipped: '2' });
    expect(booking.body.status).toBe('confirmed');
  });
});

describe('Reminder rules with their next due instant', () => {
  const clock = new FixedClock(new Date('2026-12-01T00:00:00Z'));
  let t: TestApp;
  let admin: Headers;
  type RuleView = {
    id: string;
    name: string;
    offsetDays: number;
    sendTime: string;
    audience: string;
    templateKey: string;
    enabled: boolean;
    nextDueAt: string | null;
    nextDueTimeZone: string | null;
    nextDueYear: number | null;
  };
  const nextDue = (rules: RuleView[]) =>
    rules.map((rule) => [rule.offsetDays, rule.nextDueAt, rule.nextDueTimeZone, rule.nextDueYear]);

  beforeAll(async () => {
    t = await createTestApp({ clock });
    admin = await t.auth('admin');
  });
  afterAll(() => t.close());

  it('should answer no next due instant while no published edition is ahead', async () => {
    await insertCeremony(t.db, { year: 2027, status: 'draft' });
    const rules = (await t.http.get('/reminder-rules').set(admin).expect(200)).body as RuleView[];
    expect(nextDue(rules)).toEqual([
      [30, null, null, null],
      [7, null, null, null],
      [1, null, null, null],
    ]);
  });

  it("should answer each rule's next due instant as the scheduler computes it, in the edition's zone, and move on once a run is recorded", async () => {
    await t.db.query(`UPDATE ceremonies SET status = 'published', published_at = $1 WHERE year = 2027`, [clock.now()]);
    const rules = (await t.http.get('/reminder-rules').set(admin).expect(200)).body as RuleView[];
    expect(nextDue(rules)).toEqual([
      [30, '2027-01-27T06:00:00.000Z', 'Asia/Baku', 2027],
      [7, '2027-02-19T06:00:00.000Z', 'Asia/Baku', 2027],
      [1, '2027-02-25T06:00:00.000Z', 'Asia/Baku', 2027],
    ]);
    await insertCeremony(t.db, { year: 2028, timeZone: 'Europe/Berlin' });
    clock.set('2027-01-27T06:00:00Z');
    expect(await t.app.get(RemindersService).tick(clock.now())).toEqual({ fired: 1, missed: 0, skipped: 0 });
    const after = (await t.http.get('/reminder-rules').set(admin).expect(200)).body as RuleView[];
    // The 30-day run of 2027 fired: next is 2028's, at 10:00 Berlin time (09:00 UTC in winter).
    expect(nextDue(after)[0]).toEqual([30, '2028-01-27T09:00:00.000Z', 'Europe/Berlin', 2028]);
    expect(nextDue(after)[1]).toEqual([7, '2027-02-19T06:00:00.000Z', 'Asia/Baku', 2027]);
  });

  it('should answer the saved rules with their next due instant, and none for a disabled rule', async () => {
    const rules = (await t.http.get('/reminder-rules').set(admin).expect(200)).body as RuleView[];
    const body = rules.map(({ id, name, offsetDays, sendTime, audience, templateKey, enabled }) => ({
      id,
      name,
      offsetDays,
      sendTime,
      audience,
      templateKey,
      enabled,
    }));
    body[1] = { ...body[1], sendTime: '18:30' };
    body[2] = { ...body[2], enabled: false };
    const saved = (await t.http.put('/reminder-rules').set(admin).send(body).expect(200)).body as RuleView[];
    expect(nextDue(saved).slice(1)).toEqual([
      [7, '2027-02-19T14:30:00.000Z', 'Asia/Baku', 2027],
      [1, null, null, null],
    ]);
  });

  it('should name the failing rule and field of a refused time', async () => {
    const rules = (await t.http.get('/reminder-rules').set(admin).expect(200)).body as RuleView[];
    const body = rules.map(({ id, name, offsetDays, sendTime, audience, templateKey, enabled }) => ({
      id,
      name,
      offsetDays,
      sendTime,
      audience,
      templateKey,
      enabled,
    }));
    body[1] = { ...body[1], sendTime: '25:00' };
    const refused = await t.http.put('/reminder-rules').set(admin).send(body).expect(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'rules[1].sendTime', code: 'invalid_time' }),
    ]);
  });
});
