import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { ADMIN, TestApp } from '../support/app';
import { accessibilityViolations as violationsOf, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp, tokenLink } from './browser';

const ROOT = resolve(__dirname, '../..');
const clock = new FixedClock(new Date('2027-02-01T00:00:00Z'));
const ORGANIZER = { email: 'organizer.volunteers@test.example', password: 'organizer-volunteers-pass-1' };
const GREETERS = { az: 'Qarşılayanlar', en: 'Greeters', ru: 'Встречающие' };
const CARNATIONS = { az: 'Qərənfillər', en: 'Carnations', ru: 'Гвоздики' };

/** The volunteers pages of the staff console, driven in Chromium against the real API and SMTP sink. */
describeWithChromium('Staff console: volunteers', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let browserErrors: string[];
  let ceremonyId: string;

  const accessibilityViolations = () => violationsOf(page);

  async function sessionCookie(): Promise<string> {
    const cookie = (await browser.context.cookies(base)).find((item) => item.name === 'console_session');
    if (!cookie) throw new Error('No console_session cookie in the browser');
    return `console_session=${cookie.value}`;
  }

  async function openVolunteers(credentials: { email: string; password: string }) {
    await page.goto(`${base}/console`);
    await signInToConsole(page, credentials);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Volunteers: Khojaly Remembrance Day 2027' }).waitFor();
  }

  async function fillRole(
    names: Record<'az' | 'en' | 'ru', string>,
    capacity: number,
    shiftStart: string,
    shiftEnd: string,
  ) {
    await page.getByLabel('Name (Azerbaijani)').fill(names.az);
    await page.getByLabel('Name (English)').fill(names.en);
    await page.getByLabel('Name (Russian)').fill(names.ru);
    await page.getByLabel('Description (English)').fill(`${names.en} at the memorial`);
    await page.getByLabel('Volunteers needed').fill(String(capacity));
    await page.getByLabel('Shift start').fill(shiftStart);
    await page.getByLabel('Shift end').fill(shiftEnd);
  }

  /** Signs up through the public API; with `confirm`, also follows the link the SMTP sink received. */
  async function signUp(name: string, email: string, roleId: string, confirm: boolean) {
    await t.http
      .post('/volunteers')
      .send({ ceremonyId, name, email, roleIds: [roleId], locale: 'en', consentReminders: false })
      .expect(202);
    if (!confirm) return;
    const mail = await t.smtp.waitForMailTo(email, 30_000);
    await t.http
      .post('/volunteers/confirm')
      .send({ token: tokenLink(mail.parsed.text ?? '').token })
      .expect(200);
  }

  async function rolesByName(): Promise<Record<string, { id: string; capacity: number; filled: number }>> {
    const roles = (await t.http.get(`/ceremonies/${ceremonyId}/volunteer-roles?lang=en`).expect(200)).body as Array<{
      id: string;
      name: string;
      capacity: number;
      filled: number;
    }>;
    return Object.fromEntries(roles.map((role) => [role.name, role]));
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    ({ t, base } = await startServedApp({ clock }));
    const admin = await t.auth('admin');
    await t.http
      .post('/users')
      .set(admin)
      .send({ ...ORGANIZER, role: 'organizer', name: 'Organizer' })
      .expect(201);
    const ceremony = await t.http
      .post('/ceremonies')
      .set(admin)
      .send({
        year: 2027,
        title: 'Khojaly Remembrance Day 2027',
        startTime: '10:00',
        venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
      })
      .expect(201);
    ceremonyId = ceremony.body.id as string;
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(admin).expect(200);
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

  it('should let an organizer create roles in three languages, show a bad shift next to its field, edit and delete a role, and offer no mailing', async () => {
    await openVolunteers(ORGANIZER);
    await page.getByText('No volunteer roles yet.').waitFor();
    expect(await accessibilityViolations()).toEqual([]);

    // Nothing typed: each field the API refuses is marked, the name's refusal is shown on its group of three languages.
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('group', { name: 'Name' }).getByText('is not a valid text').waitFor();
    for (const label of ['Volunteers needed', 'Shift start', 'Shift end'])
      expect(await page.getByLabel(label).getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations()).toEqual([]);

    await fillRole(GREETERS, 1, '09:00', '12:00');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'The role "Greeters" was created.' }).waitFor();
    const table = page.getByRole('table', { name: 'Roles of this edition' });
    const greeters = table.getByRole('row', { name: /Greeters/ });
    expect((await greeters.getByRole('cell').allInnerTexts()).slice(0, 3).map((text) => text.trim())).toEqual([
      '09:00–12:00 (Asia/Baku)',
      '0 / 1',
      '0',
    ]);

    // The shift ends before it starts: the API's refusal is shown under "Shift end".
    await fillRole(CARNATIONS, 5, '13:00', '12:00');
    await page.getByRole('button', { name: 'Create' }).click();
    const shiftEnd = page.getByLabel('Shift end');
    await page.locator('[aria-invalid="true"]').first().waitFor();
    expect(await shiftEnd.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await shiftEnd.getAttribute('aria-describedby'))!.split(' ')[0];
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toContain('shiftEnd');
    expect(await accessibilityViolations()).toEqual([]);
    await shiftEnd.fill('15:00');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'The role "Carnations" was created.' }).waitFor();
    expect(await shiftEnd.getAttribute('aria-invalid')).toBeNull();

    // The three languages were stored as typed.
    const stored = (await t.http.get(`/ceremonies/${ceremonyId}/volunteer-roles`).expect(200)).body as Array<{
      translations: { name: Record<string, string> };
    }>;
    expect(stored.map((role) => role.translations.name)).toEqual([GREETERS, CARNATIONS]);

    // Edit: the form opens with the stored texts side by side.
    await table.getByRole('button', { name: 'Edit: Carnations' }).click();
    await page.getByRole('heading', { name: 'Edit role: Carnations' }).waitFor();
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Edit role: Carnations');
    expect(await page.getByLabel('Name (Russian)').inputValue()).toBe(CARNATIONS.ru);
    await page.getByLabel('Volunteers needed').fill('6');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').filter({ hasText: 'The role "Carnations" was saved.' }).waitFor();
    await table
      .getByRole('row', { name: /Carnations/ })
      .getByRole('cell', { name: '0 / 6' })
      .waitFor();

    // A role nobody holds is deleted after one question.
    await fillRole({ az: 'Parkovka', en: 'Parking', ru: 'Парковка' }, 2, '08:00', '09:00');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'The role "Parking" was created.' }).waitFor();
    await table.getByRole('button', { name: 'Delete: Parking' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the role "Parking"?' });
    await dialog.waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'The role "Parking" was deleted.' }).waitFor();
    expect(Object.keys(await rolesByName())).toEqual(['Greeters', 'Carnations']);

    // Organizers send no mailings: no link to the composer, and the API refuses them anyway.
    expect(await page.getByRole('link', { name: /Write to this role/ }).count()).toBe(0);
    await t.http
      .post('/mailings')
      .set('Cookie', await sessionCookie())
      .set('X-Requested-With', 'console')
      .send({
        name: 'To greeters',
        audience: { kind: 'volunteers', ceremonyId, filters: { roleId: (await rolesByName()).Greeters.id } },
        content: { en: { subject: 'Shift', text: 'Hello' } },
      })
      .expect(403);
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-volunteer-roles-768');
  });

  it("should show the roster by role and status, move and approve volunteers, refuse a full role, export the same rows and name roles in the console's language", async () => {
    const roles = await rolesByName();
    await signUp('Aysel Mammadova', 'aysel.volunteer@example.org', roles.Greeters.id, true);
    await signUp('Murad Aliyev', 'murad.volunteer@example.org', roles.Greeters.id, true);
    await signUp('Leyla Huseynova', 'leyla.volunteer@example.org', roles.Carnations.id, false);
    await t.smtp.waitForMailTo('leyla.volunteer@example.org', 30_000);

    await openVolunteers(ORGANIZER);
    await page.getByRole('navigation', { name: 'Volunteer pages' }).getByRole('link', { name: 'Roster' }).click();
    await page.getByRole('heading', { name: '3 volunteer(s)' }).waitFor();
    const roster = page.getByRole('table', { name: '3 volunteer(s)' });
    const row = (name: string) => page.getByRole('row', { name: new RegExp(name) });
    await row('Aysel').getByRole('cell', { name: 'Greeters 09:00–12:00: has a place' }).waitFor();
    await row('Murad').getByRole('cell', { name: 'Greeters 09:00–12:00: waiting, no. 1' }).waitFor();
    await row('Leyla').getByRole('cell', { name: 'Awaiting confirmation' }).waitFor();
    expect(await roster.getByRole('row').count()).toBe(4);
    expect(await accessibilityViolations()).toEqual([]);

    // Filters by role and by status.
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Greeters' });
    await page.getByRole('heading', { name: '2 volunteer(s)' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Confirmed' });
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'All roles' });
    await page.getByRole('heading', { name: '2 volunteer(s)' }).waitFor();
    expect(await row('Leyla').count()).toBe(0);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'All statuses' });
    await page.getByRole('heading', { name: '3 volunteer(s)' }).waitFor();

    // Move Aysel to Carnations: her place in Greeters goes to Murad, first on the waiting list.
    await row('Aysel').getByLabel('Move to role').selectOption({ label: 'Carnations' });
    await row('Aysel').getByRole('button', { name: 'Move: Aysel Mammadova' }).click();
    await page.getByRole('status').filter({ hasText: 'Aysel Mammadova was moved to "Carnations".' }).waitFor();
    await row('Aysel').getByRole('cell', { name: 'Carnations 13:00–15:00: has a place' }).waitFor();
    await row('Murad').getByRole('cell', { name: 'Greeters 09:00–12:00: has a place' }).waitFor();

    // Greeters is full now: moving Aysel back is refused, naming the role, and nothing changes.
    await row('Aysel').getByLabel('Move to role').selectOption({ label: 'Greeters' });
    await row('Aysel').getByRole('button', { name: 'Move: Aysel Mammadova' }).click();
    await page.getByRole('alert').filter({ hasText: 'Greeters' }).waitFor();
    await row('Aysel').getByRole('cell', { name: 'Carnations 13:00–15:00: has a place' }).waitFor();

    // Leyla never followed her link: the organizer approves her, and she takes her place.
    await row('Leyla').getByRole('button', { name: 'Approve: Leyla Huseynova' }).click();
    await page.getByRole('status').filter({ hasText: 'Leyla Huseynova is confirmed.' }).waitFor();
    await row('Leyla').getByRole('cell', { name: 'Confirmed' }).waitFor();
    await row('Leyla').getByRole('cell', { name: 'Carnations 13:00–15:00: has a place' }).waitFor();
    expect((await rolesByName()).Carnations.filled).toBe(2);
    expect(await accessibilityViolations()).toEqual([]);

    // The CSV carries the same filters as the table.
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Carnations' });
    await page.getByRole('heading', { name: '2 volunteer(s)' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true, bom: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((item) => item.email).sort()).toEqual([
      'aysel.volunteer@example.org',
      'leyla.volunteer@example.org',
    ]);
    expect(rows.map((item) => item.assigned_roles)).toEqual(['Carnations 13:00-15:00', 'Carnations 13:00-15:00']);
    const shown = await page.getByRole('table', { name: '2 volunteer(s)' }).getByRole('rowheader').allInnerTexts();
    expect(shown.sort()).toEqual(['Aysel Mammadova', 'Leyla Huseynova']);

    // In Russian the roster names the roles in Russian, and so does its CSV.
    await page.getByLabel('Language').selectOption('ru');
    await row('Aysel')
      .getByRole('cell', { name: `${CARNATIONS.ru} 13:00–15:00: есть место` })
      .waitFor();
    const [russian] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /CSV/ }).click(),
    ]);
    expect(readFileSync((await russian.path())!, 'utf8')).toContain(`${CARNATIONS.ru} 13:00-15:00`);
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByLabel('Язык').selectOption('en');
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByRole('heading', { name: '2 volunteer(s)' }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-volunteer-roster-768');

    // A role volunteers hold cannot be deleted: the refusal says so in the dialog.
    await page
      .getByRole('navigation', { name: 'Volunteer pages' })
      .getByRole('link', { name: 'Roles and shifts' })
      .click();
    await page
      .getByRole('table', { name: 'Roles of this edition' })
      .getByRole('button', { name: 'Delete: Greeters' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Delete the role "Greeters"?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'hold a place in or wait for "Greeters"' }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(Object.keys(await rolesByName())).toEqual(['Greeters', 'Carnations']);
  });

  it('should show an admin "Write to this role", opening the mailing composer for that role\'s volunteers', async () => {
    const roles = await rolesByName();
    await openVolunteers(ADMIN);
    const link = page.getByRole('link', { name: 'Write to this role: Greeters' });
    const href = new URL((await link.getAttribute('href'))!, base);
    expect(href.pathname).toBe('/console/mailings/new');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      audience: 'volunteers',
      edition: ceremonyId,
      roleId: roles.Greeters.id,
    });
    expect(await page.getByRole('link', { name: /Write to this role/ }).count()).toBe(2);
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-volunteer-roles-1280');
    await link.click();
    expect(new URL(page.url()).pathname).toBe('/console/mailings/new');
  });
});
