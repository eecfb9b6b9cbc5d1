import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { TestApp } from '../support/app';
import { accessibilityViolations as violationsOf, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
const clock = new FixedClock(new Date('2027-02-01T00:00:00Z'));
const ORGANIZER = { email: 'organizer.visits@test.example', password: 'organizer-visits-pass-1' };
const ZONE = '(Asia/Baku)';

/** The Visits views of the staff console, driven by an organizer in Chromium against the real API and SMTP sink. */
describeWithChromium('Staff console: visits', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let browserErrors: string[];
  let ceremonyId: string;

  const accessibilityViolations = () => violationsOf(page);
  const slotRow = (label: string) =>
    page
      .getByRole('table', { name: 'Time slots' })
      .getByRole('row', { name: new RegExp(`^${label.replace(/[()/]/g, '\\$&')}`) });

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
    page = await browser.context.newPage();
    browserErrors = watchBrowserErrors(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/console`);
    await signInToConsole(page, ORGANIZER);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  it('should preview slots before generating them, edit a capacity (refused below booked, saying how many) and delete an empty slot', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Visits' }).click();
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByText('This edition has no visit slots yet.').waitFor();

    await page.getByLabel('First slot starts at').fill('10:00');
    await page.getByLabel('Last slot ends by').fill('09:00');
    await page.getByRole('button', { name: 'Preview the slots' }).click();
    // The server's refusal is shown at the field it names.
    await page.getByText('to must be after from').waitFor();
    expect(await page.getByLabel('Last slot ends by').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Last slot ends by').fill('12:00');
    await page.getByLabel('A slot starts every (minutes)').fill('30');
    await page.getByLabel('Each slot lasts (minutes)').fill('30');
    await page.getByLabel('People per slot').fill('4');
    await page.getByRole('button', { name: 'Preview the slots' }).click();
    const preview = page.getByRole('table', { name: 'Slots to be created' });
    await page.getByRole('status').filter({ hasText: '4 slots will be created.' }).waitFor();
    expect(await preview.getByRole('rowheader').allInnerTexts()).toEqual(
      ['10:00–10:30', '10:30–11:00', '11:00–11:30', '11:30–12:00'].map((time) => `26 February 2027, ${time} ${ZONE}`),
    );
    // Nothing exists before the organizer asks for it.
    expect((await t.http.get(`/ceremonies/${ceremonyId}/visit-slots`).expect(200)).body).toEqual([]);
    expect(await accessibilityViolations()).toEqual([]);

    await page.getByRole('button', { name: 'Create 4 slots' }).click();
    await page.getByRole('status').filter({ hasText: '4 slots were created.' }).waitFor();
    await slotRow(`26 February 2027, 11:30–12:00 ${ZONE}`).waitFor();
    expect(await page.getByRole('table', { name: 'Time slots' }).getByRole('rowheader').count()).toBe(4);
    const slots = (await t.http.get(`/ceremonies/${ceremonyId}/visit-slots`).expect(200)).body as Array<{
      id: string;
      startsAt: string;
    }>;
    expect(slots.map((slot) => slot.startsAt)).toEqual(
      ['06:00', '06:30', '07:00', '07:30'].map((time) => `2027-02-26T${time}:00.000Z`),
    );

    const kamran = await t.http
      .post(`/visit-slots/${slots[0].id}/bookings`)
      .send({ name: 'Kamran Aliyev', email: 'kamran@example.org', partySize: 3 })
      .expect(201);
    await t.http
      .post(`/bookings/${kamran.body.id}/check-in`)
      .set(await t.auth('organizer'))
      .expect(200);
    await page.reload();
    const first = `26 February 2027, 10:00–10:30 ${ZONE}`;
    await slotRow(first).getByText('Has 1 booking: cannot be deleted').waitFor();
    // Capacity 4, booked 3, remaining 1, nobody waiting, the party of 3 arrived.
    expect((await slotRow(first).getByRole('cell').allInnerTexts()).slice(0, 5).map((text) => text.trim())).toEqual([
      '4',
      '3',
      '1',
      '0',
      '3',
    ]);
    await slotRow(first).getByText('Has 1 booking: cannot be deleted').waitFor();
    expect(
      await slotRow(first)
        .getByRole('button', { name: /Delete/ })
        .count(),
    ).toBe(0);

    await page.getByRole('button', { name: `Edit capacity of ${first}` }).click();
    await page.getByLabel(`Capacity of the slot ${first}`).fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Capacity cannot be lowered below the 3 people already booked in this time slot').waitFor();
    expect(await page.getByLabel(`Capacity of the slot ${first}`).getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByLabel(`Capacity of the slot ${first}`).fill('6');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `The slot ${first} now holds 6 people.` })
      .waitFor();
    expect((await slotRow(first).getByRole('cell').allInnerTexts()).slice(0, 3).map((text) => text.trim())).toEqual([
      '6',
      '3',
      '3',
    ]);

    const last = `26 February 2027, 11:30–12:00 ${ZONE}`;
    await page.getByRole('button', { name: `Delete the slot ${last}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this time slot?' });
    await dialog.getByText(`The slot ${last} has no bookings.`).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `The slot ${last} was deleted.` })
      .waitFor();
    expect(await page.getByRole('table', { name: 'Time slots' }).getByRole('rowheader').count()).toBe(3);
    expect(((await t.http.get(`/ceremonies/${ceremonyId}/visit-slots`).expect(200)).body as unknown[]).length).toBe(3);
    await screenshot(page, 'console-visits-1280');
    // In Azerbaijani: the view's own texts, month names from the console's catalogs, the zone named.
    await page.getByLabel('Language').selectOption('az');
    await page.getByRole('heading', { level: 1, name: 'Ziyarətlər' }).waitFor();
    await page.getByRole('rowheader', { name: `26 fevral 2027, 10:00–10:30 ${ZONE}` }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByLabel('Dil').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-visits-768');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('should search bookings by name and group, filter by slot and status, export the filtered rows and cancel a booking for a visitor', async () => {
    const organizer = await t.auth('organizer');
    const slot = await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T10:00:00Z', endsAt: '2027-02-26T10:30:00Z', capacity: 4 })
      .expect(201);
    const book = (body: Record<string, unknown>) =>
      t.http.post(`/visit-slots/${slot.body.id}/bookings`).send(body).expect(201);
    await book({ name: 'Aysel Mammadova', email: 'aysel@example.org', partySize: 2, groupName: 'School No. 6' });
    await book({ name: 'Murad Hasanov', email: 'murad@example.org', partySize: 2, groupName: 'Veterans union' });
    const waiting = await book({
      name: 'Leyla Guliyeva',
      email: 'leyla@example.org',
      partySize: 2,
      groupName: 'School No. 6',
      waitlist: true,
      locale: 'en',
    });
    expect(waiting.body.status).toBe('waitlisted');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Visits' }).click();
    await page.getByRole('navigation', { name: 'Visits sections' }).getByRole('link', { name: 'Bookings' }).click();
    await page.getByRole('heading', { level: 2, name: 'Bookings' }).waitFor();
    const table = page.getByRole('table', { name: 'Bookings' });
    const names = () => table.getByRole('rowheader').allInnerTexts();
    await table.getByRole('rowheader', { name: 'Leyla Guliyeva' }).waitFor();
    expect(await names()).toEqual(['Kamran Aliyev', 'Aysel Mammadova', 'Murad Hasanov', 'Leyla Guliyeva']);
    await page.getByText('1–4 of 4').waitFor();
    // An arrived visitor is shown as such and cannot be cancelled any more.
    await table
      .getByRole('row', { name: /^Kamran Aliyev/ })
      .getByRole('cell', { name: 'confirmed, checked in', exact: true })
      .waitFor();
    expect(await table.getByRole('button', { name: 'Cancel the booking of Kamran Aliyev' }).count()).toBe(0);
    expect(await accessibilityViolations()).toEqual([]);

    const search = async (text: string, expected: string[]) => {
      await page.getByLabel('Name, email or group').fill(text);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText(`1–${expected.length} of ${expected.length}`).waitFor();
      expect(await names()).toEqual(expected);
    };
    await search('aysel', ['Aysel Mammadova']);
    await search('school no. 6', ['Aysel Mammadova', 'Leyla Guliyeva']);
    await search('', ['Kamran Aliyev', 'Aysel Mammadova', 'Murad Hasanov', 'Leyla Guliyeva']);

    await page.getByLabel('Slot', { exact: true }).selectOption({ label: `26 February 2027, 14:00–14:30 ${ZONE}` });
    await page.getByText('1–3 of 3').waitFor();
    expect(await names()).toEqual(['Aysel Mammadova', 'Murad Hasanov', 'Leyla Guliyeva']);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'waitlisted' });
    await page.getByText('1–1 of 1').waitFor();
    expect(await names()).toEqual(['Leyla Guliyeva']);

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'confirmed' });
    await search('school', ['Aysel Mammadova']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export these bookings as CSV' }).click(),
    ]);
    const rows = parse(readFileSync(await download.path()), { columns: true, bom: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((row) => [row.name, row.status])).toEqual([['Aysel Mammadova', 'confirmed']]);

    await search('', ['Aysel Mammadova', 'Murad Hasanov']);
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'All' });
    await page.getByText('1–3 of 3').waitFor();
    await page.getByRole('button', { name: 'Cancel the booking of Aysel Mammadova' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
    await dialog
      .getByText(`The booking of Aysel Mammadova (2 people, 26 February 2027, 14:00–14:30 ${ZONE}) will be cancelled`)
      .waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel the booking' }).click();
    await page.getByRole('status').filter({ hasText: 'The booking of Aysel Mammadova was cancelled.' }).waitFor();

    // The waiting list moved up: Leyla now holds the freed places.
    const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
    await row('Leyla Guliyeva').getByRole('cell', { name: 'confirmed', exact: true }).waitFor();
    await row('Aysel Mammadova').getByRole('cell', { name: 'cancelled', exact: true }).waitFor();
    expect(await table.getByRole('button', { name: 'Cancel the booking of Aysel Mammadova' }).count()).toBe(0);
    const promoted = await t.smtp.waitFor(
      (mails) =>
        mails.some(
          (mail) =>
            mail.envelopeTo.includes('leyla@example.org') &&
            !!mail.parsed.subject?.startsWith('A place has become free'),
        ),
      10_000,
      'mail to the promoted visitor',
    );
    expect(promoted.length).toBeGreaterThan(0);
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-visits-bookings-768');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('should page through the bookings 25 at a time', async () => {
    const organizer = await t.auth('organizer');
    const slot = await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T11:00:00Z', endsAt: '2027-02-26T11:30:00Z', capacity: 40 })
      .expect(201);
    for (let index = 1; index <= 24; index += 1) {
      await t.http
        .post(`/visit-slots/${slot.body.id}/bookings`)
        .send({ name: `Visitor ${String(index).padStart(2, '0')}`, email: `visitor${index}@example.org`, partySize: 1 })
        .expect(201);
    }
    // 4 bookings from before and these 24.
    await page.goto(`${base}/console/visits/bookings`);
    // Opened by its address (a reload, a pasted link): the server answers the console for a nested view.
    await page.getByRole('heading', { level: 2, name: 'Bookings' }).waitFor();
    const table = page.getByRole('table', { name: 'Bookings' });
    const pages = page.getByRole('navigation', { name: 'Pages of bookings' });
    await pages.getByText('1–25 of 28').waitFor();
    expect(await table.getByRole('rowheader').count()).toBe(25);
    expect(await pages.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'Next' }).click();
    await pages.getByText('26–28 of 28').waitFor();
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual(['Visitor 22', 'Visitor 23', 'Visitor 24']);
    expect(await pages.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'Previous' }).click();
    await pages.getByText('1–25 of 28').waitFor();
  });
});
