import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { ADMIN, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { writeY4m } from '../support/y4m';
import { accessibilityViolations, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
/** Mid-January 2027: the 2027 edition is this year's, and no reminder of it is due yet. */
const clock = new FixedClock(new Date('2027-01-10T08:00:00Z'));
const ORGANIZER = { email: 'organizer.year@test.example', password: 'organizer-year-pass-1' };
const LANGUAGES = { az: 'Azerbaijani', en: 'English', ru: 'Russian' } as const;
type Texts = Record<keyof typeof LANGUAGES, string>;

const TITLE: Texts = {
  az: 'Xocalı soyqırımı qurbanlarının anım günü 2027',
  en: 'Khojaly Remembrance Day 2027',
  ru: 'День памяти жертв Ходжалинского геноцида 2027',
};
const VENUE: Texts = {
  az: 'Xocalı soyqırımı abidəsi',
  en: 'Khojaly Genocide Memorial',
  ru: 'Памятник жертвам Ходжалинского геноцида',
};
const ADDRESS: Texts = { az: 'Xətai rayonu, Bakı', en: 'Khatai district, Baku', ru: 'Хатаинский район, Баку' };
const ITEM: Texts = {
  az: 'Abidəyə gül qoyulması',
  en: 'Laying of flowers at the memorial',
  ru: 'Возложение цветов к памятнику',
};
const ROLE: Texts = { az: 'Qarşılayanlar', en: 'Greeters', ru: 'Встречающие' };
const BOUNCING = 'rashad@example.org';

/**
 * The yearly cycle through the console only, as staff live it: an organizer prepares and publishes
 * the 2027 edition, a visitor books, the organizer checks visitors in at the gate (the QR code of
 * the received confirmation through the device camera, and by name), and an administrator mails
 * the visitors in three languages and watches the mailing reach 100%, one refusal with its reply.
 */
describeWithChromium('Console: the year of an edition, from planning to the day', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let videoDir: string;
  let video: string;

  const main = () => page.getByRole('navigation', { name: 'Main' });
  const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

  async function fillTexts(label: string, texts: Texts, scope = page.locator('main')): Promise<void> {
    for (const [language, name] of Object.entries(LANGUAGES))
      await scope.getByLabel(`${label} (${name})`, { exact: true }).fill(texts[language as keyof Texts]);
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    // The fake camera reads its file only once a page starts the camera; the file is written from the received mail.
    videoDir = mkdtempSync(join(tmpdir(), 'commemoration-year-camera-'));
    video = join(videoDir, 'camera.y4m');
    [{ t, base }, browser] = await Promise.all([
      startServedApp({
        clock,
        env: { SCHEDULER_ENABLED: 'true', MAILING_FAILURE_MIN_SAMPLE: '1000', MAILING_RETRY_BASE_MS: '0' },
      }),
      launchBrowser({
        args: [
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${video}`,
        ],
        permissions: ['camera'],
      }),
    ]);
    await t.http
      .post('/users')
      .set(await t.auth('admin'))
      .send({ ...ORGANIZER, role: 'organizer', name: 'Organizer' })
      .expect(201);
    page = await browser.context.newPage();
    errors = watchBrowserErrors(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (videoDir) rmSync(videoDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('should let an organizer create, plan and publish the 2027 edition in three languages', async () => {
    await page.goto(`${base}/console`);
    await signInToConsole(page, ORGANIZER);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    await main().getByRole('link', { name: 'Editions' }).click();
    await page.getByRole('link', { name: 'Create an edition' }).click();
    const form = page.getByRole('form', { name: 'New edition' });
    await eventually(
      () => form.getByLabel('Date').inputValue(),
      (value) => value === '2027-02-26',
      10_000,
      'the configured date',
    );
    expect(await form.getByLabel('Time zone').inputValue()).toBe('Asia/Baku');
    await form.getByLabel('Start time').fill('10:00');
    await fillTexts('Title', TITLE, form);
    await fillTexts('Venue name', VENUE, form);
    await fillTexts('Venue address', ADDRESS, form);
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: `Edition 2027: ${TITLE.en}` }).waitFor();
    const editionUrl = page.url();

    const itemForm = page.getByRole('form', { name: 'Add a program item' });
    await itemForm.getByLabel('Starts at').fill('10:00');
    await itemForm.getByLabel('Ends at').fill('10:30');
    await fillTexts('Title', ITEM, itemForm);
    await itemForm.getByRole('button', { name: 'Add the item' }).click();
    await page
      .getByRole('table', { name: 'Program' })
      .getByRole('row', { name: new RegExp(ITEM.en) })
      .waitFor();

    await main().getByRole('link', { name: 'Visits' }).click();
    await page.getByRole('heading', { level: 1, name: 'Visits' }).waitFor();
    await page.getByLabel('First slot starts at').fill('11:00');
    await page.getByLabel('Last slot ends by').fill('12:00');
    await page.getByLabel('A slot starts every (minutes)').fill('30');
    await page.getByLabel('Each slot lasts (minutes)').fill('30');
    await page.getByLabel('People per slot').fill('20');
    await page.getByRole('button', { name: 'Preview the slots' }).click();
    await status('2 slots will be created.');
    await page.getByRole('button', { name: 'Create 2 slots' }).click();
    await status('2 slots were created.');

    await main().getByRole('link', { name: 'Volunteers' }).click();
    await fillTexts('Name', ROLE);
    await page.getByLabel('Volunteers needed').fill('5');
    await page.getByLabel('Shift start').fill('09:00');
    await page.getByLabel('Shift end').fill('12:00');
    await page.getByRole('button', { name: 'Create' }).click();
    await status('The role "Greeters" was created.');

    await page.goto(editionUrl);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page
      .getByRole('dialog', { name: 'Publish the 2027 edition?' })
      .getByRole('button', { name: 'Publish' })
      .click();
    await status('The edition is published.');
    expect(await accessibilityViolations(page)).toEqual([]);

    // What the public now reads, in each language.
    const current = (await t.http.get('/ceremonies/current?lang=az').expect(200)).body as { id: string; title: string };
    expect(current.title).toBe(TITLE.az);
    const program = (await t.http.get(`/ceremonies/${current.id}/program?lang=ru`).expect(200)).body as {
      items: Array<{ title: string }>;
    };
    expect(program.items.map((item) => item.title)).toEqual([ITEM.ru]);
    const roles = (await t.http.get(`/ceremonies/${current.id}/volunteer-roles?lang=en`).expect(200)).body as Array<{
      name: string;
      capacity: number;
    }>;
    expect(roles).toMatchObject([{ name: ROLE.en, capacity: 5 }]);
  });

  it('should check in at the desk the visitor whose mailed QR code the camera sees, and another found by name', async () => {
    const current = (await t.http.get('/ceremonies/current').expect(200)).body as { id: string };
    const slots = (await t.http.get(`/ceremonies/${current.id}/visit-slots`).expect(200)).body as Array<{ id: string }>;
    expect(slots).toHaveLength(2);
    await t.http
      .post(`/visit-slots/${slots[0].id}/bookings`)
      .send({ name: 'Leyla Aliyeva', email: 'leyla@example.org', partySize: 2, locale: 'az' })
      .expect(201);
    await t.http
      .post(`/visit-slots/${slots[0].id}/bookings`)
      .send({ name: 'Rashad Mammadov', email: BOUNCING, partySize: 1, locale: 'en' })
      .expect(201);
    const confirmation = await t.smtp.waitForMailTo('leyla@example.org', 30_000);
    const qr = confirmation.parsed.attachments.find((attachment) => attachment.filename === 'qr.png');
    if (!qr) throw new Error('The confirmation mail has no qr.png');
    writeY4m(video, qr.content, { shownFrames: 10, blankFrames: 15 });

    await main().getByRole('link', { name: 'Check-in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check-in desk' }).waitFor();
    await page.getByText('0 of 3 people arrived', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await page.getByRole('heading', { level: 2, name: 'Leyla Aliyeva' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await status('Checked in: Leyla Aliyeva, 2 people.');
    await page.getByText('2 of 3 people arrived', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Stop camera' }).click();

    await page.getByRole('searchbox', { name: 'Name, email or group' }).fill('Rashad');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: /^Rashad Mammadov/ }).click();
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await status('Checked in: Rashad Mammadov, 1 person.');
    await page.getByText('3 of 3 people arrived', { exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('should let an administrator mail the visitors in three languages: preview, test copy, confirmed send, progress to 100% and the 550 reply', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signInToConsole(page, ADMIN);
    // Signed in again on the page the session ended on (the desk), now with the administrator's navigation.
    await page.getByRole('heading', { level: 1, name: 'Check-in desk' }).waitFor();
    t.smtp.clear();
    t.smtp.refuseRecipient(BOUNCING, 550, '5.1.1 <rashad@example.org>: Recipient address rejected: User unknown');

    await main().getByRole('link', { name: 'Mailings' }).click();
    await page.getByRole('link', { name: 'New mailing' }).click();
    await page.getByLabel('Name').fill('On the day 2027');
    await page.getByLabel('Recipients').selectOption({ label: 'Visitors with a booking' });
    await page.getByText('2 recipients', { exact: true }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Languages' });
    const panel = (name: string) => page.getByRole('tabpanel', { name });
    const content = [
      [
        'Azərbaycanca',
        'Anım günü: ziyarət vaxtınız',
        'Hörmətli {{name}}, 26 fevralda sizi abidənin yanında gözləyirik. {{unsubscribeUrl}}',
      ],
      [
        'English',
        'Remembrance day: your visit',
        'Dear {{name}}, we expect you at the memorial on 26 February. {{unsubscribeUrl}}',
      ],
      [
        'Русский',
        'День памяти: ваше посещение',
        'Уважаемый(ая) {{name}}, ждём вас у памятника 26 февраля. {{unsubscribeUrl}}',
      ],
    ];
    for (const [tab, subject, text] of content) {
      await tabs.getByRole('tab', { name: tab }).click();
      await panel(tab).getByLabel('Subject').fill(subject);
      await panel(tab).getByLabel('Text', { exact: true }).fill(text);
      await panel(tab)
        .getByLabel('HTML (optional)')
        .fill(`<p>${text.replace(' {{unsubscribeUrl}}', '')}</p>`);
    }
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'On the day 2027' }).waitFor();

    await page.getByLabel('Sample recipient (email)').fill('leyla@example.org');
    await page.getByRole('button', { name: 'Show preview' }).click();
    await page
      .getByTitle('HTML version')
      .contentFrame()
      .getByText('Hörmətli Leyla Aliyeva, 26 fevralda sizi abidənin yanında gözləyirik.')
      .waitFor();

    await page.getByLabel('Send a test copy to').fill('editor@example.org');
    await page.getByRole('button', { name: 'Send test' }).click();
    await status('A test copy was sent to editor@example.org.');
    await t.smtp.waitForMailTo('editor@example.org', 30_000);
    expect(t.smtp.received.map((mail) => mail.envelopeTo)).toEqual([['editor@example.org']]);

    await page.getByRole('button', { name: 'Send now…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this mailing?' });
    await dialog.getByText('Send to 2 recipients?').waitFor();
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('2 of 2 processed (100%)').waitFor({ timeout: 60_000 });
    const refused = page.getByRole('table', { name: 'Deliveries' }).getByRole('row', { name: new RegExp(BOUNCING) });
    await refused.getByRole('cell', { name: 'failed' }).waitFor();
    expect(await refused.innerText()).toContain('550');
    expect(await refused.innerText()).toContain('Recipient address rejected');
    const received = await t.smtp.waitForMailTo('leyla@example.org', 30_000);
    expect(received.parsed.subject).toBe('Anım günü: ziyarət vaxtınız');
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
