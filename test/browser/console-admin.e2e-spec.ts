import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { JobsQueue } from '../../src/jobs/jobs.queue';
import { RemindersService } from '../../src/reminders/reminders.service';
import { ADMIN, TestApp } from '../support/app';
import { accessibilityViolations as violationsOf, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
const clock = new FixedClock(new Date('2027-02-01T00:00:00Z'));
const ORGANIZER = {
  email: 'organizer.admin-views@test.example',
  password: 'organizer-admin-views-1',
  name: 'Rashad Organizer',
};
type Rule = { id: string; name: string; offsetDays: number; sendTime: string };

/** A calendar day as the Asia/Baku clock shows it at an instant (the audit log's day filters are days there). */
function bakuDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Baku',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The admin-only views of the console, driven by role and label in Chromium against the real API. */
describeWithChromium('Staff console: reminders, subscribers, staff users and the audit log', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let browserErrors: string[];
  let admin: { Authorization: string };
  let organizerId: string;
  let weekRule: Rule;

  const accessibilityViolations = () => violationsOf(page);

  async function sessionCookie(): Promise<string> {
    const cookie = (await browser.context.cookies(base)).find((item) => item.name === 'console_session');
    if (!cookie) throw new Error('No console_session cookie in the browser');
    return `console_session=${cookie.value}`;
  }

  async function openAsAdmin(link: string, heading: string) {
    await page.goto(`${base}/console`);
    await signInToConsole(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    ({ t, base } = await startServedApp({ clock }));
    admin = await t.auth('admin');
    organizerId = (
      await t.http
        .post('/users')
        .set(admin)
        .send({ ...ORGANIZER, role: 'organizer' })
        .expect(201)
    ).body.id as string;
    const organizer = (
      await t.http.post('/auth/login').send({ email: ORGANIZER.email, password: ORGANIZER.password }).expect(200)
    ).body.accessToken as string;
    // The organizer's one change, for the audit filter by actor.
    const edition = await t.http
      .post('/ceremonies')
      .set({ Authorization: `Bearer ${organizer}` })
      .send({
        year: 2027,
        title: 'Khojaly Remembrance Day 2027',
        startTime: '10:00',
        venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
      })
      .expect(201);
    await t.http.post(`/ceremonies/${edition.body.id}/publish`).set(admin).expect(200);
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at, created_at) VALUES
         ('leyla@example.org', 'Leyla Aliyeva', 'az', 'confirmed', now(), now() - interval '2 days'),
         ('murad@example.org', 'Murad Hasanov', 'en', 'confirmed', now(), now() - interval '1 day'),
         ('new@example.org', NULL, 'ru', 'pending', NULL, now())`,
    );
    // More lifted bounces than one page of the audit log holds.
    await t.db.query(
      `INSERT INTO audit_log (occurred_at, actor_id, actor_email, action, entity_type)
       SELECT now() - make_interval(mins => n), NULL, NULL, 'suppression.remove', 'suppression' FROM generate_series(1, 55) AS n`,
    );
    // Last year's runs, recorded by the scheduler itself at the instants they were due.
    const rules = (await t.http.get('/reminder-rules').set(admin).expect(200)).body as Rule[];
    weekRule = rules.find((rule) => rule.offsetDays === 7)!;
    const past = await t.http
      .post('/ceremonies')
      .set(admin)
      .send({
        year: 2026,
        title: 'Khojaly Remembrance Day 2026',
        startTime: '10:00',
        venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
      })
      .expect(201);
    await t.http.post(`/ceremonies/${past.body.id}/publish`).set(admin).expect(200);
    await t.db.query(`UPDATE ceremonies SET published_at = '2025-12-01T00:00:00Z' WHERE id = $1`, [past.body.id]);
    await t.db.query(`UPDATE reminder_rules SET created_at = '2025-12-01T00:00:00Z'`);
    const scheduler = t.app.get(RemindersService);
    expect(await scheduler.tick(new Date('2026-01-27T06:00:30Z'))).toEqual({ fired: 1, missed: 0, skipped: 0 });
    expect(await scheduler.tick(new Date('2026-02-19T06:00:30Z'))).toEqual({ fired: 1, missed: 0, skipped: 0 });
    expect(await scheduler.tick(new Date('2026-02-26T06:00:00Z'))).toEqual({ fired: 0, missed: 1, skipped: 0 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    await browser.context.clearCookies();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    browserErrors = watchBrowserErrors(page);
  });

  afterEach(async () => {
    await page.close();
    expect(browserErrors).toEqual([]);
  });

  it("should edit a reminder rule: its next due instant in the edition's zone, an impossible time refused beside the field", async () => {
    await openAsAdmin('Reminders', 'Reminders');
    const rule = page.getByRole('group', { name: weekRule.name });
    await rule.getByText('Next due: 19 February 2027, 10:00 (Asia/Baku), edition 2027').waitFor();
    expect(await accessibilityViolations()).toEqual([]);

    await rule.getByLabel('Send time').fill('25:00');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await rule.getByText('is not a valid time').waitFor();
    expect(await rule.getByLabel('Send time').getAttribute('aria-invalid')).toBe('true');
    expect(
      ((await t.http.get('/reminder-rules').set(admin).expect(200)).body as Rule[]).find(
        (item) => item.id === weekRule.id,
      )?.sendTime,
    ).toBe('10:00');

    await rule.getByLabel('Send time').fill('18:30');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await rule.getByText('Next due: 19 February 2027, 18:30 (Asia/Baku), edition 2027').waitFor();
    expect(
      ((await t.http.get('/reminder-rules').set(admin).expect(200)).body as Rule[]).find(
        (item) => item.id === weekRule.id,
      )?.sendTime,
    ).toBe('18:30');
    await screenshot(page, 'console-reminders-1280');
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should show the runs of a past year with their state and the mailing each created', async () => {
    await openAsAdmin('Reminders', 'Reminders');
    await page.getByLabel('Year', { exact: true }).selectOption('2026');
    const runs = page.getByRole('table', { name: 'Runs by year' });
    const week = runs.getByRole('row', { name: new RegExp(weekRule.name) });
    await week.getByRole('cell', { name: '19 February 2026, 10:00 (Asia/Baku)' }).first().waitFor();
    expect((await week.getByRole('cell').allInnerTexts())[1]).toBe('sent');
    await week.getByRole('link', { name: /^Mailing: / }).waitFor();
    const missed = runs.getByRole('row').filter({ hasText: '25 February 2026, 10:00 (Asia/Baku)' });
    expect((await missed.getByRole('cell').allInnerTexts()).slice(1)).toEqual(['missed', '—', '—']);
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should search subscribers, unsubscribe one after confirming, and export them as CSV', async () => {
    await openAsAdmin('Subscribers', 'Subscribers');
    const figures = (await page.locator('main dl').innerText()).replace(/\s+/g, ' ');
    expect(figures).toContain('Confirmed 2');
    expect(figures).toContain('Awaiting confirmation 1');
    expect(await accessibilityViolations()).toEqual([]);

    await page.getByLabel('Email or name').fill('ALIYEVA');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing 1–1 of 1' }).waitFor();
    const table = page.getByRole('table', { name: 'Subscribers found' });
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual(['leyla@example.org']);

    await table.getByRole('button', { name: 'Unsubscribe leyla@example.org' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unsubscribe on their behalf?' });
    await dialog.getByText('leyla@example.org will get no more reminders or mailings.', { exact: false }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('status').filter({ hasText: 'leyla@example.org is unsubscribed.' }).waitFor();
    await table.getByRole('cell', { name: 'unsubscribed' }).waitFor();
    const listed = await t.http.get('/subscribers').query({ q: 'leyla' }).set(admin).expect(200);
    expect(listed.body.items.map((item: { email: string; status: string }) => [item.email, item.status])).toEqual([
      ['leyla@example.org', 'unsubscribed'],
    ]);

    await page.getByLabel('Email or name').fill('');
    await page.getByLabel('State').selectOption('confirmed');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing 1–1 of 1' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('email,name,locale,status,created_at,confirmed_at,unsubscribed_at');
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(['murad@example.org']);
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should create an organizer (a weak password refused beside the field), mail them a reset link, and deactivate them', async () => {
    await openAsAdmin('Staff', 'Staff users');
    const users = page.getByRole('table', { name: 'Staff accounts' });
    await users.getByRole('rowheader', { name: ORGANIZER.name }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);

    const staff = { name: 'Aysel Mammadova', email: 'aysel.gate@test.example', password: 'gate-keeper-2027-aysel' };
    await page.getByLabel('Name').fill(staff.name);
    await page.getByLabel('Email').fill(staff.email);
    await page.getByLabel('Role').selectOption('organizer');
    await page.getByLabel('Initial password').fill('password');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('is too short or too common; choose another').waitFor();
    expect(await page.getByLabel('Initial password').getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByLabel('Initial password').fill(staff.password);
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${staff.email} can now sign in.` })
      .waitFor();
    const row = users.getByRole('row', { name: new RegExp(staff.name) });
    // allInnerTexts does not wait: the list is fetched again after the status is shown.
    await row.waitFor();
    expect((await row.getByRole('cell').allInnerTexts()).slice(0, 4)).toEqual([staff.email, 'organizer', 'yes', 'off']);
    const token = (await t.http.post('/auth/login').send({ email: staff.email, password: staff.password }).expect(200))
      .body.accessToken as string;

    await row.getByRole('button', { name: `Reset password: ${staff.name}` }).click();
    const reset = page.getByRole('dialog', { name: 'Mail a password-reset link?' });
    await reset.getByText(staff.email, { exact: false }).waitFor();
    await reset.getByRole('button', { name: 'Mail the link' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `A password-reset link was mailed to ${staff.email}.` })
      .waitFor();
    await t.app.get(JobsQueue).runner.settled();
    const mail = await t.smtp.waitForMailTo(staff.email, 20_000);
    expect(mail.parsed.subject).toContain('reset your staff password');
    expect(mail.parsed.text).toMatch(/\/console\/password-reset\?token=/);

    await t.http
      .get('/auth/me')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    await row.getByRole('button', { name: `Deactivate ${staff.name}` }).click();
    const deactivate = page.getByRole('dialog', { name: 'Deactivate this account?' });
    expect(await accessibilityViolations()).toEqual([]);
    await deactivate.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${staff.email} was deactivated.` })
      .waitFor();
    await row.getByRole('button', { name: `Reactivate ${staff.name}` }).waitFor();
    await t.http
      .get('/auth/me')
      .set({ Authorization: `Bearer ${token}` })
      .expect(401);
    await t.http.post('/auth/login').send({ email: staff.email, password: staff.password }).expect(401);
    await screenshot(page, 'console-users-1280');
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
  });

  it("should show the API's refusal when the last admin would be deactivated", async () => {
    await openAsAdmin('Staff', 'Staff users');
    const adminRow = page
      .getByRole('table', { name: 'Staff accounts' })
      .getByRole('row')
      .filter({ hasText: ADMIN.email });
    await adminRow.getByRole('button', { name: /^Deactivate / }).click();
    await page
      .getByRole('dialog', { name: 'Deactivate this account?' })
      .getByRole('button', { name: 'Deactivate', exact: true })
      .click();
    await page
      .getByRole('alert')
      .filter({ hasText: /cannot deactivate/ })
      .waitFor();
    const listed = await t.http.get('/users').set(admin).expect(200);
    expect(listed.body.items.find((user: { email: string }) => user.email === ADMIN.email).active).toBe(true);
  });

  it('should filter the audit log by actor, entity and day, and page through it', async () => {
    await openAsAdmin('Audit log', 'Audit log');
    const entries = page.getByRole('table', { name: 'Changes' });
    await entries.getByRole('row').nth(1).waitFor();
    expect(await accessibilityViolations()).toEqual([]);

    await page.getByLabel('Who').selectOption({ label: `${ORGANIZER.name} (${ORGANIZER.email})` });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing 1–1 of 1' }).waitFor();
    expect(await entries.getByRole('cell', { name: /ceremony/ }).allInnerTexts()).toEqual(['ceremony.create ceremony']);
    expect(await entries.getByRole('cell', { name: ORGANIZER.email }).count()).toBe(1);

    await page.getByLabel('Who').selectOption('');
    await page.getByLabel('What was changed').selectOption('user');
    await page.getByRole('button', { name: 'Show' }).click();
    // The organizer's one row stays shown until the new answer replaces it.
    await entries
      .getByRole('cell', { name: /^user\./ })
      .first()
      .waitFor();
    const changes: string[] = [];
    for (const row of await entries
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .all())
      changes.push((await row.getByRole('cell').nth(2).innerText()).trim());
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) expect(change).toMatch(/^user\.[a-z-]+ user$/);

    await page.getByLabel('What was changed').selectOption('suppression');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing 1–50 of 55' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('status').filter({ hasText: 'Showing 51–55 of 55' }).waitFor();
    expect(
      await entries
        .getByRole('row')
        .filter({ has: page.getByRole('cell') })
        .count(),
    ).toBe(5);
    await page.getByLabel('What was changed').selectOption('user');

    // Entries are written at the database's time: today in Baku holds them, tomorrow none.
    const today = bakuDay(new Date());
    const tomorrow = bakuDay(new Date(Date.now() + 24 * 3_600_000));
    await page.getByLabel('From day').fill(today);
    await page.getByLabel('To day (inclusive)').fill(tomorrow);
    await page.getByRole('button', { name: 'Show' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Showing 1–${changes.length} of ${changes.length}` })
      .waitFor();
    await page.getByLabel('From day').fill(tomorrow);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('status').filter({ hasText: 'No change matches.' }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should show an organizer none of these views, and the API refuses them', async () => {
    await page.goto(`${base}/console`);
    await signInToConsole(page, ORGANIZER);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    for (const hidden of ['Reminders', 'Subscribers', 'Staff', 'Audit log']) expect(links).not.toContain(hidden);
    await page.goto(`${base}/console/subscribers`);
    await page.getByText('This page does not exist.').waitFor();
    const cookie = await sessionCookie();
    const [leyla] = (await t.http.get('/subscribers').query({ q: 'murad' }).set(admin).expect(200)).body
      .items as Array<{ id: string }>;
    await t.http.get('/reminder-rules').set('Cookie', cookie).expect(403);
    await t.http.get('/reminder-runs').query({ year: 2026 }).set('Cookie', cookie).expect(403);
    await t.http.get('/subscribers').set('Cookie', cookie).expect(403);
    await t.http
      .post(`/subscribers/${leyla.id}/unsubscribe`)
      .set('Cookie', cookie)
      .set('X-Requested-With', 'console')
      .expect(403);
    await t.http.get('/users').set('Cookie', cookie).expect(403);
    await t.http
      .post(`/users/${organizerId}/password-reset`)
      .set('Cookie', cookie)
      .set('X-Requested-With', 'console')
      .expect(403);
    await t.http.get('/audit-log').set('Cookie', cookie).expect(403);
  });
});
