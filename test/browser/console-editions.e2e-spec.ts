import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { accessibilityViolations, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
const clock = new FixedClock(new Date('2027-02-01T00:00:00Z'));
const ORGANIZER = { email: 'organizer.editions@test.example', password: 'organizer-editions-pass-1' };

const TITLE = {
  az: 'Xocalı soyqırımı qurbanlarının anım günü 2027',
  en: 'Khojaly Remembrance Day 2027',
  ru: 'День памяти жертв Ходжалинского геноцида 2027',
};
const VENUE_NAME = {
  az: 'Xocalı soyqırımı abidəsi',
  en: 'Khojaly Genocide Memorial',
  ru: 'Памятник жертвам Ходжалинского геноцида',
};
const VENUE_ADDRESS = { az: 'Xətai rayonu, Bakı', en: 'Khatai district, Baku', ru: 'Хатаинский район, Баку' };
const LANGUAGE_NAMES = { az: 'Azerbaijani', en: 'English', ru: 'Russian' } as const;

type Texts = Record<keyof typeof LANGUAGE_NAMES, string>;

async function fillTexts(scope: Locator, label: string, texts: Texts): Promise<void> {
  for (const [language, name] of Object.entries(LANGUAGE_NAMES)) {
    await scope.getByLabel(`${label} (${name})`, { exact: true }).fill(texts[language as keyof Texts]);
  }
}

/** The error message a field or group is described by (empty when none). */
async function errorOf(page: Page, field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.length === 0 ? '' : page.locator(`[id="${ids[0]}"]`).innerText();
}

/** The editions views driven by an organizer in Chromium: create with the defaults, texts in three languages, program, publication, next year. */
describeWithChromium('Console: editions', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let browserErrors: string[];
  let editionId: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    ({ t, base } = await startServedApp({ clock }));
    await t.http
      .post('/users')
      .set(await t.auth('admin'))
      .send({ ...ORGANIZER, role: 'organizer', name: 'Organizer' })
      .expect(201);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    browserErrors = watchBrowserErrors(page);
    await page.goto(`${base}/console`);
    await signInToConsole(page, ORGANIZER);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  it('should create the 2027 edition with texts in three languages, the configured date and zone prefilled', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Editions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Editions' }).waitFor();
    await page.getByText('No edition yet.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Create an edition' }).click();
    const form = page.getByRole('form', { name: 'New edition' });
    // What the server would apply: this year (the clock stands at 1 February 2027), 26 February, Asia/Baku.
    expect(await form.getByLabel('Year').inputValue()).toBe('2027');
    await eventually(
      () => form.getByLabel('Date').inputValue(),
      (value) => value === '2027-02-26',
    );
    await form.getByText('26 February 2027 · The commemoration date of the year unless changed.').waitFor();
    expect(await form.getByLabel('Time zone').inputValue()).toBe('Asia/Baku');
    expect(await form.getByRole('checkbox', { name: 'Russian' }).isChecked()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Without a title the API refuses, and the console says so next to the title.
    await form.getByLabel('Start time').fill('10:00');
    await form.getByRole('button', { name: 'Create' }).click();
    const titleGroup = form.getByRole('group', { name: 'Title', exact: true });
    await eventually(
      () => errorOf(page, titleGroup),
      (text) => text !== '',
      10_000,
      'the error of the title',
    );

    await fillTexts(form, 'Title', TITLE);
    await fillTexts(form, 'Venue name', VENUE_NAME);
    await fillTexts(form, 'Venue address', VENUE_ADDRESS);
    await form.getByLabel('Description (English)').fill('In memory of the victims of the Khojaly genocide.');
    await form.getByRole('button', { name: 'Create' }).click();

    await page.getByRole('heading', { level: 1, name: `Edition 2027: ${TITLE.en}` }).waitFor();
    editionId = /\/console\/editions\/([0-9a-f-]{36})$/.exec(page.url())![1];
    const stored = (
      await t.http
        .get(`/ceremonies/${editionId}`)
        .set(await t.auth('organizer'))
        .expect(200)
    ).body;
    expect(stored).toMatchObject({
      year: 2027,
      date: '2027-02-26',
      startTime: '10:00',
      timeZone: 'Asia/Baku',
      status: 'draft',
    });
    expect(stored.translations).toMatchObject({
      title: TITLE,
      'venue.name': VENUE_NAME,
      'venue.address': VENUE_ADDRESS,
      description: { en: 'In memory of the victims of the Khojaly genocide.' },
    });

    // The edit view reads the three languages back side by side, also when opened by its address.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Edition 2027: ${TITLE.en}` }).waitFor();
    const details = page.getByRole('form', { name: 'Details and texts' });
    expect(await details.getByLabel('Title (Russian)').inputValue()).toBe(TITLE.ru);
    expect(await details.getByLabel('Venue address (Azerbaijani)').inputValue()).toBe(VENUE_ADDRESS.az);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'All editions' }).click();
    const row = page.getByRole('table', { name: 'Editions' }).getByRole('row', { name: /2027/ });
    await row.getByText('Draft').waitFor();
    expect(await row.innerText()).toContain('26 February 2027');
    expect(await row.innerText()).toContain('10:00 (Asia/Baku)');
  });

  it('should save an edited text and show an API error next to the language it names', async () => {
    await page.getByRole('link', { name: '2027' }).click();
    const details = page.getByRole('form', { name: 'Details and texts' });
    const russianTitle = details.getByLabel('Title (Russian)');
    await russianTitle.fill('x'.repeat(301));
    await details.getByRole('button', { name: 'Save the edition' }).click();
    // The API names `title.ru`; its message, in the console's language, is shown under that input only.
    expect(
      await eventually(
        () => errorOf(page, russianTitle),
        (text) => text !== '',
        10_000,
        'the error of the Russian title',
      ),
    ).toBe('is too long (at most 300 characters)');
    expect(await russianTitle.getAttribute('aria-invalid')).toBe('true');
    expect(await details.getByLabel('Title (English)').getAttribute('aria-invalid')).toBeNull();
    expect(await accessibilityViolations(page)).toEqual([]);

    await russianTitle.fill(TITLE.ru);
    await details.getByLabel('Description (Russian)').fill('Памяти жертв Ходжалинского геноцида.');
    await details.getByRole('button', { name: 'Save the edition' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = (
      await t.http
        .get(`/ceremonies/${editionId}`)
        .set(await t.auth('organizer'))
        .expect(200)
    ).body;
    expect(stored.translations.description).toEqual({
      en: 'In memory of the victims of the Khojaly genocide.',
      ru: 'Памяти жертв Ходжалинского геноцида.',
    });
  });

  it('should keep the program in time order, edit and delete items, and show an end before the start inline', async () => {
    const itemForm = page.getByRole('form', { name: 'Add a program item' });
    const program = page.getByRole('table', { name: 'Program' });

    await itemForm.getByLabel('Starts at').fill('11:00');
    await itemForm.getByLabel('Ends at').fill('11:30');
    await fillTexts(itemForm, 'Title', { az: 'Anım sözləri', en: 'Words of remembrance', ru: 'Слова памяти' });
    await itemForm.getByRole('button', { name: 'Add the item' }).click();
    await program.getByRole('row', { name: /Words of remembrance/ }).waitFor();

    // Added second, but earlier: shown first.
    await itemForm.getByLabel('Starts at').fill('10:00');
    await fillTexts(itemForm, 'Title', {
      az: 'Abidəyə gül qoyulması',
      en: 'Laying of flowers at the memorial',
      ru: 'Возложение цветов к памятнику',
    });
    await fillTexts(itemForm, 'Speaker', { az: 'Xocalı sakinləri', en: 'Survivors of Khojaly', ru: 'Жители Ходжалы' });
    await itemForm.getByRole('button', { name: 'Add the item' }).click();
    await program.getByRole('row', { name: /Laying of flowers/ }).waitFor();
    const rows = program.getByRole('row');
    expect(await rows.nth(1).innerText()).toContain('10:00');
    expect(await rows.nth(1).innerText()).toContain('Laying of flowers at the memorial');
    expect(await rows.nth(2).innerText()).toContain('11:00–11:30');

    // An item that ends before it starts: the API's message next to the end time, nothing added.
    await itemForm.getByLabel('Starts at').fill('12:00');
    await itemForm.getByLabel('Ends at').fill('11:45');
    await fillTexts(itemForm, 'Title', { az: 'Sükut dəqiqəsi', en: 'A minute of silence', ru: 'Минута молчания' });
    await itemForm.getByRole('button', { name: 'Add the item' }).click();
    const end = itemForm.getByLabel('Ends at');
    await eventually(
      () => end.getAttribute('aria-invalid'),
      (value) => value === 'true',
    );
    expect(await errorOf(page, end)).toMatch(/later than/);
    expect(await rows.count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Edited to 12:00–12:05, then it moves last; the silence is kept, the speaker of the first item cleared.
    await itemForm.getByLabel('Ends at').fill('12:05');
    await itemForm.getByRole('button', { name: 'Add the item' }).click();
    await program.getByRole('row', { name: /A minute of silence/ }).waitFor();
    await program.getByRole('button', { name: 'Edit “Laying of flowers at the memorial”' }).click();
    const editForm = page.getByRole('form', { name: 'Edit the program item' });
    expect(await editForm.getByLabel('Speaker (Russian)').inputValue()).toBe('Жители Ходжалы');
    await editForm.getByLabel('Starts at').fill('12:30');
    await editForm.getByRole('button', { name: 'Save the item' }).click();
    await page.getByRole('status').filter({ hasText: 'The item was saved.' }).waitFor();
    await eventually(
      async () => (await rows.nth(3).innerText()).includes('Laying of flowers'),
      (value) => value === true,
    );
    expect(await rows.nth(1).innerText()).toContain('Words of remembrance');

    await program.getByRole('button', { name: 'Delete “A minute of silence”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the program item?' });
    await dialog.getByText('“A minute of silence” is removed').waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'The item was removed.' }).waitFor();
    await eventually(
      () => rows.count(),
      (value) => value === 3,
    );
    const stored = (
      await t.http
        .get(`/ceremonies/${editionId}/program`)
        .set(await t.auth('organizer'))
        .expect(200)
    ).body.items as Array<{ startTime: string; title: string }>;
    expect(stored.map((item) => item.startTime)).toEqual(['11:00', '12:30']);
  });

  it('should publish only after confirming, so the public reads the Russian title, and unpublish after confirming', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish the 2027 edition?' });
    await dialog.getByText('The public pages will show this edition').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Cancelling publishes nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await t.http.get('/ceremonies/current').expect(404);

    await page.getByRole('button', { name: 'Publish' }).click();
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').filter({ hasText: 'The edition is published.' }).waitFor();
    const current = (await t.http.get('/ceremonies/current?lang=ru').expect(200)).body;
    expect(current).toMatchObject({ id: editionId, title: TITLE.ru, venue: { name: VENUE_NAME.ru } });

    await screenshot(page, 'console-edition-1280');
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'console-edition-768');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Unpublish' }).click();
    const unpublish = page.getByRole('dialog', { name: 'Unpublish the 2027 edition?' });
    await unpublish.getByText('The public pages will no longer show this edition').waitFor();
    await unpublish.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByRole('status').filter({ hasText: 'The edition is a draft again.' }).waitFor();
    await t.http.get('/ceremonies/current').expect(404);
  });

  it('should offer the calendar file of the edition', async () => {
    const href = await page.getByRole('link', { name: 'Calendar file (.ics)' }).getAttribute('href');
    expect(href).toBe(`/ceremonies/${editionId}/calendar.ics`);
    // A draft's calendar is for staff: the console's session cookie opens it.
    const response = await page.request.get(`${base}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/calendar');
    expect(await response.text()).toContain('SUMMARY:');
  });

  it('should copy the edition to next year and open the new draft', async () => {
    await page.getByRole('button', { name: 'Copy to 2028' }).click();
    await page.getByRole('heading', { level: 1, name: /^Edition 2028:/ }).waitFor();
    const nextId = /\/console\/editions\/([0-9a-f-]{36})$/.exec(page.url())![1];
    expect(nextId).not.toBe(editionId);
    await page
      .getByRole('table', { name: 'Program' })
      .getByRole('row', { name: /Words of remembrance/ })
      .waitFor();
    const next = (
      await t.http
        .get(`/ceremonies/${nextId}`)
        .set(await t.auth('organizer'))
        .expect(200)
    ).body;
    expect(next).toMatchObject({ year: 2028, status: 'draft', date: '2028-02-26' });

    await page.getByRole('link', { name: 'All editions' }).click();
    const table = page.getByRole('table', { name: 'Editions' });
    await table.getByRole('row', { name: /2028/ }).waitFor();
    expect(await table.getByRole('row').count()).toBe(3);
    await screenshot(page, 'console-editions-1280');
  });

  it("should show the editions views in Russian, the edition's date with a Russian month name", async () => {
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { level: 1, name: 'Церемонии' }).waitFor();
    const row = page.getByRole('table', { name: 'Церемонии' }).getByRole('row', { name: /2027/ });
    await row.getByText('Черновик').waitFor();
    expect(await row.innerText()).toContain('26 февраля 2027');
    await row.getByRole('link', { name: '2027' }).click();
    await page.getByRole('heading', { level: 1, name: `Церемония 2027 года: ${TITLE.ru}` }).waitFor();
    expect(
      await page.getByRole('form', { name: 'Сведения и тексты' }).getByLabel('Название (азербайджанский)').inputValue(),
    ).toBe(TITLE.az);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Язык').selectOption('en');
    await page.getByRole('heading', { level: 1, name: `Edition 2027: ${TITLE.en}` }).waitFor();
  });

  it('should propose the year after the newest edition, move the date with the year, and say when that year already has an edition', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Editions' }).click();
    await page.getByRole('link', { name: 'Create an edition' }).click();
    const form = page.getByRole('form', { name: 'New edition' });
    await eventually(
      () => form.getByLabel('Year').inputValue(),
      (value) => value === '2029',
    );
    await eventually(
      () => form.getByLabel('Date').inputValue(),
      (value) => value === '2029-02-26',
    );
    await form.getByLabel('Year').fill('2027');
    await eventually(
      () => form.getByLabel('Date').inputValue(),
      (value) => value === '2027-02-26',
    );
    await form.getByLabel('Start time').fill('10:00');
    await fillTexts(form, 'Title', TITLE);
    await fillTexts(form, 'Venue name', VENUE_NAME);
    await fillTexts(form, 'Venue address', VENUE_ADDRESS);
    await form.getByRole('button', { name: 'Create' }).click();
    await form.getByRole('alert').filter({ hasText: '2027' }).waitFor();
    expect(page.url()).toBe(`${base}/console/editions/new`);
  });
});
