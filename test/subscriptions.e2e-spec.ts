import { FixedClock } from '../src/common/clock';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { SubscriptionsService } from '../src/subscriptions/subscriptions.service';
import { createTestApp, TestApp } from './support/app';
import type { ReceivedMail } from './support/smtp-sink';

function confirmToken(mail: ReceivedMail): string {
  const match = /https:\/\/commemoration\.test\/subscriptions\/confirm\?token=([A-Za-z0-9_-]+)/.exec(
    mail.parsed.text ?? '',
  );
  if (!match) throw new Error(`No confirmation link in: ${mail.parsed.text}`);
  return match[1];
}

describe('Subscriptions', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-11-01T09:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { SIGNUP_RESEND_MINUTES: '10', SIGNUP_EXPIRY_HOURS: '72' } });
  });
  afterAll(() => t.close());
  /** The requests written so far are decided and their mails sent (the answer comes before). */
  const decided = () => t.app.get(JobsQueue).runner.settled();

  it('should confirm a subscription through the link in the email (double opt-in)', async () => {
    const response = await t.http
      .post('/subscriptions')
      .send({ email: 'Leyla@Example.org', name: 'Leyla', locale: 'ru' })
      .expect(202);
    expect(response.body).toEqual({ status: 'accepted', message: expect.any(String) });
    await decided();
    const [before] = await t.db.query<{ status: string; email: string }>(
      `SELECT status, email FROM subscribers WHERE email = 'leyla@example.org'`,
    );
    expect(before).toEqual({ status: 'pending', email: 'leyla@example.org' });

    const mail = await t.smtp.waitForMailTo('leyla@example.org');
    expect(mail.parsed.subject).toContain('подтвердите подписку');
    expect(mail.parsed.headers.get('content-language')).toBe('ru');
    const token = confirmToken(mail);
    // Only the hash is stored.
    const [stored] = await t.db.query<{ confirm_token_hash: string }>(
      `SELECT confirm_token_hash FROM subscribers WHERE email = 'leyla@example.org'`,
    );
    expect(stored.confirm_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.confirm_token_hash).not.toContain(token);

    await t.http.post('/subscriptions/confirm').send({ token }).expect(200, { status: 'confirmed' });
    await t.http.post('/subscriptions/confirm').send({ token }).expect(200, { status: 'confirmed' });
    const [after] = await t.db.query<{ status: string }>(
      `SELECT status FROM subscribers WHERE email = 'leyla@example.org'`,
    );
    expect(after.status).toBe('confirmed');
  });

  it('should answer the same for a known address and send nothing more to a confirmed one', async () => {
    t.smtp.clear();
    const response = await t.http.post('/subscriptions').send({ email: 'leyla@example.org' }).expect(202);
    const fresh = await t.http.post('/subscriptions').send({ email: 'someone-new@example.org' }).expect(202);
    expect(response.body).toEqual(fresh.body);
    await decided();
    await t.smtp.waitForMailTo('someone-new@example.org');
    expect(t.smtp.to('leyla@example.org')).toHaveLength(0);
  });

  it('should re-send the confirmation at most once per SIGNUP_RESEND_MINUTES', async () => {
    t.smtp.clear();
    await t.http.post('/subscriptions').send({ email: 'throttle@example.org', locale: 'en' }).expect(202);
    await t.smtp.waitForMailTo('throttle@example.org');
    clock.advance(5 * 60_000);
    await t.http.post('/subscriptions').send({ email: 'throttle@example.org', locale: 'en' }).expect(202);
    await decided();
    expect(t.smtp.to('throttle@example.org')).toHaveLength(1);

    clock.advance(6 * 60_000);
    await t.http.post('/subscriptions').send({ email: 'throttle@example.org', locale: 'en' }).expect(202);
    await t.smtp.waitFor(
      (mails) => mails.filter((mail) => mail.envelopeTo.includes('throttle@example.org')).length === 2,
    );
    const [first, second] = t.smtp.to('throttle@example.org');
    // Both links work until one is confirmed; then the other stops working.
    await t.http
      .post('/subscriptions/confirm')
      .send({ token: confirmToken(second) })
      .expect(200);
    await t.http
      .post('/subscriptions/confirm')
      .send({ token: confirmToken(first) })
      .expect(404);
  });

  it('should open a page with one confirm button from the emailed link, working without JavaScript', async () => {
    t.smtp.clear();
    await t.http.post('/subscriptions').send({ email: 'form@example.org', locale: 'az' }).expect(202);
    const token = confirmToken(await t.smtp.waitForMailTo('form@example.org'));
    const page = await t.http.get(`/subscriptions/confirm?token=${token}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="az">');
    expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
    // Opening the page confirms nothing (mail scanners open links).
    const [pending] = await t.db.query<{ status: string }>(
      `SELECT status FROM subscribers WHERE email = 'form@example.org'`,
    );
    expect(pending.status).toBe('pending');
    const done = await t.http.post('/subscriptions/confirm').type('form').send({ token }).expect(200);
    expect(done.text).toContain('Abunəlik təsdiqləndi');
    const [confirmed] = await t.db.query<{ status: string }>(
      `SELECT status FROM subscribers WHERE email = 'form@example.org'`,
    );
    expect(confirmed.status).toBe('confirmed');
    await t.http.get(`/subscriptions/confirm?token=${'C'.repeat(43)}`).expect(404);
  });

  it('should refuse an unknown or malformed token with the same 404', async () => {
    const unknown = await t.http
      .post('/subscriptions/confirm')
      .send({ token: 'A'.repeat(43) })
      .expect(404);
    const malformed = await t.http.post('/subscriptions/confirm').send({ token: 'nope' }).expect(404);
    expect(unknown.body).toEqual(malformed.body);
  });

  it('should expire unconfirmed sign-ups and purge them in the scheduled job', async () => {
    t.smtp.clear();
    await t.http.post('/subscriptions').send({ email: 'late@example.org' }).expect(202);
    const token = confirmToken(await t.smtp.waitForMailTo('late@example.org'));
    clock.advance(73 * 3600_000);
    await t.http.post('/subscriptions/confirm').send({ token }).expect(404);

    const purged = await t.app.get(SubscriptionsService).purgeExpired();
    expect(purged).toBeGreaterThanOrEqual(1);
    const rows = await t.db.query(`SELECT 1 FROM subscribers WHERE email = 'late@example.org'`);
    expect(rows).toHaveLength(0);
    // Confirmed subscribers are never purged.
    const kept = await t.db.query(`SELECT 1 FROM subscribers WHERE email = 'leyla@example.org'`);
    expect(kept).toHaveLength(1);
  });

  it('should reject bad input naming the field', async () => {
    const response = await t.http.post('/subscriptions').send({ email: 'not-an-email', locale: 'de' }).expect(400);
    const messages = (response.body as { message: string[] }).message.join(' ');
    expect(messages).toMatch(/email/);
    expect(messages).toMatch(/locale/);
  });
});
