import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { JobsQueue } from '../../src/jobs/jobs.queue';
import type { TestApp } from '../support/app';
import { Browser, describeWithChromium, launchBrowser, screenshot, tokenLink, startServedApp } from './browser';

type Headers = { Authorization: string };
interface RosterEntry {
  email: string | null;
  phone: string | null;
  consentReminders: boolean;
  roles: Array<{ name: string; state: string }>;
}

describeWithChromium('Volunteer self-service page in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let organizer: Headers;
  let ceremonyId: string;
  let page: Page;
  const roleIds: Record<string, string> = {};
  const settled = () => t.app.get(JobsQueue).runner.settled();

  /** Signs a volunteer up and confirms; answers the private manage link from the confirmation mail. */
  async function confirmedVolunteer(email: string, roles: string[], locale: string): Promise<string> {
    await t.http
      .post('/volunteers')
      .send({
        ceremonyId,
        name: email.split('@')[0],
        email,
        roleIds: roles.map((name) => roleIds[name]),
        locale,
        consentReminders: false,
      })
      .expect(202);
    await settled();
    const request = await t.smtp.waitForMailTo(email);
    t.smtp.clear();
    await t.http
      .post('/volunteers/confirm')
      .send({ token: tokenLink(request.parsed.text ?? '').token })
      .expect(200);
    await settled();
    return tokenLink((await t.smtp.waitForMailTo(email)).parsed.text ?? '').url;
  }

  async function rosterEntry(email: string): Promise<RosterEntry> {
    const roster = (await t.http.get(`/ceremonies/${ceremonyId}/volunteers`).set(organizer).expect(200)).body as {
      items: RosterEntry[];
    };
    return roster.items.find((item) => item.email === email)!;
  }

  /** The axe-core rules (WCAG 2.1 A and AA, best practices) the page in its current state breaks. */
  async function accessibilityViolations(): Promise<Array<{ rule: string; targets: string[] }>> {
    // Evaluated through the DevTools protocol, so the page's CSP does not apply to the checker itself.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    return page.evaluate<Array<{ rule: string; targets: string[] }>>(`
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((outcome) =>
        outcome.violations.map((violation) => ({ rule: violation.id, targets: violation.nodes.map((node) => node.target.join(' ')) })))`);
  }

  beforeAll(async () => {
    ({ t } = await startServedApp());
    organizer = await t.auth('organizer');
    const ceremony = await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({
        year: 2027,
        title: 'Khojaly Remembrance Day 2027',
        startTime: '10:00',
        venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
      })
      .expect(201);
    ceremonyId = (ceremony.body as { id: string }).id;
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(organizer).expect(200);
    for (const [name, capacity, shiftStart, shiftEnd] of [
      ['Guiding visitors', 4, '09:00', '12:00'],
      ['Carnations', 1, '12:00', '14:00'],
      ['Interpreting', 4, '11:00', '13:00'],
    ] as const) {
      const role = await t.http
        .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
        .set(organizer)
        .send({ name, capacity, shiftStart, shiftEnd })
        .expect(201);
      roleIds[name] = (role.body as { id: string }).id;
    }
    // Carnations is full: whoever joins it now waits.
    await confirmedVolunteer('first@example.org', ['Carnations'], 'en');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
  });
  afterEach(async () => {
    await page.close();
  });

  it('should change roles, phone and reminder consent from the page, refusing overlapping shifts next to the roles', async () => {
    const link = await confirmedVolunteer('kamran@example.org', ['Guiding visitors'], 'en');
    await page.goto(link);
    await page.locator('#me-form').waitFor();
    expect(await page.getByLabel('Guiding visitors').isChecked()).toBe(true);

    // Overlapping shifts: refused next to the roles, nothing changes.
    await page.getByLabel('Interpreting').check();
    await page.getByRole('button', { name: 'Save the changes' }).click();
    const rolesError = page.locator('#me-form [data-field="roleIds"] .field-error');
    await rolesError.waitFor();
    await expect(rolesError.textContent()).resolves.toBe(
      'The shifts of “Guiding visitors” and “Interpreting” overlap; one person cannot take both.',
    );
    await screenshot(page, 'volunteer-me-overlap');
    expect(await accessibilityViolations()).toEqual([]);
    expect((await rosterEntry('kamran@example.org')).roles.map((role) => role.name)).toEqual(['Guiding visitors']);

    await page.getByLabel('Interpreting').uncheck();
    await page.getByLabel('Carnations').check();
    await page.getByLabel('Telephone').fill('+994 50 111 22 33');
    await page.getByLabel('Send me reminder emails about my volunteering').check();
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.locator('#me-saved', { hasText: 'Your changes are saved.' }).waitFor();
    await expect(page.locator('#record ul.roles').textContent()).resolves.toContain(
      'Carnations, February 26, 12:00–14:00 (Asia/Baku, GMT+4): Waiting list, position 1',
    );
    await screenshot(page, 'volunteer-me-saved');
    expect(await accessibilityViolations()).toEqual([]);

    const [stored] = await t.db.query<{ consent_reminders: boolean; phone: string }>(
      `SELECT consent_reminders, phone FROM volunteers WHERE email = 'kamran@example.org'`,
    );
    expect(stored).toEqual({ consent_reminders: true, phone: '+994 50 111 22 33' });
    const entry = await rosterEntry('kamran@example.org');
    expect(entry).toMatchObject({ consentReminders: true, phone: '+994 50 111 22 33' });
    expect(entry.roles.map((role) => [role.name, role.state]).sort()).toEqual([
      ['Carnations', 'waitlisted'],
      ['Guiding visitors', 'assigned'],
    ]);

    // Download and withdraw stay on the page.
    await expect(page.getByRole('button', { name: 'Download my data (JSON)' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Withdraw and erase my data' }).isVisible()).resolves.toBe(true);
  });

  it('should open the mailed manage link of a Russian volunteer in Russian, dates included', async () => {
    const link = await confirmedVolunteer('olga@example.org', ['Guiding visitors'], 'ru');
    expect(new URL(link).searchParams.get('lang')).toBe('ru');
    await page.goto(link);
    await page.locator('#me-form').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await page.getByRole('button', { name: 'Сохранить изменения' }).waitFor();
    await expect(page.locator('#record ul.roles').textContent()).resolves.toContain(
      'Guiding visitors, 26 февраля, 09:00–12:00 (Asia/Baku, GMT+4): Место закреплено',
    );
    await screenshot(page, 'volunteer-me-ru');
  });
});
