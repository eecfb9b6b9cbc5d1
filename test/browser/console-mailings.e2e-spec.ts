import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { accessibilityViolations as violationsOf, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
const ORGANIZER = { email: 'organizer.mailings@test.example', password: 'organizer-mailings-pass-1' };
const BOUNCE = 'no-such-mailbox@example.org';
const REFUSAL = '5.1.1 <no-such-mailbox@example.org>: Recipient address rejected: mailbox unavailable';

/** The Mailings views driven as an administrator does: compose, preview, test, send, watch; organizers see none of it. */
describeWithChromium('Console: mailings', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let browserErrors: string[];
  let ceremonyId: string;

  const accessibilityViolations = () => violationsOf(page);

  async function signInAsAdmin(path = '/console'): Promise<void> {
    await page.goto(`${base}${path}`);
    await signInToConsole(page, ADMIN);
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    // The delivery loop runs as in production; a high minimum sample keeps one bounce from stopping the mailing.
    ({ t, base } = await startServedApp({
      env: { SCHEDULER_ENABLED: 'true', MAILING_FAILURE_MIN_SAMPLE: '1000', MAILING_RETRY_BASE_MS: '0' },
    }));
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
    // Published: the console lists draft editions only once the editions list recognises its session.
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(admin).expect(200);
    // Four confirmed subscribers (one whose mailbox the server refuses) and one who unsubscribed.
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at)
       SELECT p.email, p.name, p.locale, 'confirmed', now() FROM unnest($1::text[], $2::text[], $3::text[]) AS p(email, name, locale)`,
      [
        ['aysel@example.org', 'john@example.org', 'olga@example.org', BOUNCE, 'gone@example.org'],
        ['Aysel', 'John', 'Ольга', 'Nobody', 'Gone'],
        ['az', 'en', 'ru', 'en', 'en'],
      ],
    );
    await t.db.query(
      `INSERT INTO suppressions (email, reason, source) VALUES ('gone@example.org', 'unsubscribed', 'test')`,
    );
    t.smtp.refuseRecipient(BOUNCE, 550, REFUSAL);
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

  it('should compose in three languages, count, preview, test-send, send after a confirmation stating the count, and show progress and the 550 reply', async () => {
    t.smtp.clear();
    await signInAsAdmin();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mailings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mailings' }).waitFor();
    await page.getByText('No mailings yet.').waitFor();
    await page.getByRole('link', { name: 'New mailing' }).click();
    await page.getByRole('heading', { level: 1, name: 'New mailing' }).waitFor();

    await page.getByLabel('Name').fill('Invitation 2027');
    // Four confirmed subscribers; the unsubscribed address is not counted.
    await page.getByText('4 recipients', { exact: true }).waitFor();
    await page.getByText('{{unsubscribeUrl}}', { exact: true }).waitFor();

    const tabs = page.getByRole('tablist', { name: 'Languages' });
    expect(await tabs.getByRole('tab').allInnerTexts()).toEqual(['Azərbaycanca', 'English', 'Русский']);
    const english = tabs.getByRole('tab', { name: 'English' });
    expect(await english.getAttribute('aria-selected')).toBe('true');
    // Arrow keys move between the tabs and select them.
    await english.focus();
    await page.keyboard.press('ArrowLeft');
    expect(await tabs.getByRole('tab', { name: 'Azərbaycanca' }).getAttribute('aria-selected')).toBe('true');
    const panel = (name: string | RegExp) => page.getByRole('tabpanel', { name });
    await panel('Azərbaycanca').getByLabel('Subject').fill('Xocalı soyqırımının anım günü');
    await panel('Azərbaycanca')
      .getByLabel('Text', { exact: true })
      .fill('Hörmətli {{name}}, 26 fevralda birlikdə anırıq. {{unsubscribeUrl}}');
    await panel('Azərbaycanca')
      .getByLabel('HTML (optional)')
      .fill('<p>Hörmətli {{name}}, 26 fevralda birlikdə anırıq.</p>');
    expect(await accessibilityViolations()).toEqual([]);
    await tabs.getByRole('tab', { name: 'Azərbaycanca' }).focus();
    await page.keyboard.press('End');
    expect(await tabs.getByRole('tab', { name: 'Русский' }).getAttribute('aria-selected')).toBe('true');
    await panel('Русский').getByLabel('Subject').fill('День памяти Ходжалинской трагедии');
    await panel('Русский')
      .getByLabel('Text', { exact: true })
      .fill('Уважаемый(ая) {{name}}, 26 февраля мы вспоминаем вместе. {{unsubscribeUrl}}');
    expect(await accessibilityViolations()).toEqual([]);
    await tabs.getByRole('tab', { name: 'English' }).click();
    await panel('English').getByLabel('Subject').fill('Khojaly Remembrance Day');
    await panel('English')
      .getByLabel('Text', { exact: true })
      .fill('Dear {{name}}, on 26 February we remember together. {{unsubscribeUrl}}');
    // A raw interpolation would write a name unescaped into the HTML: the API refuses it, next to the field.
    await panel('English')
      .getByLabel('HTML (optional)')
      .fill('<p>Dear {{{name}}}, on 26 February we remember together.</p>');
    await tabs.getByRole('tab', { name: 'Azərbaycanca' }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await tabs.getByRole('tab', { name: 'English (has an error)' }).waitFor();
    expect(await tabs.getByRole('tab', { name: /English/ }).getAttribute('aria-selected')).toBe('true');
    const html = panel(/English/).getByLabel('HTML (optional)');
    expect(await html.getAttribute('aria-invalid')).toBe('true');
    await panel(/English/)
      .getByText('content.en.html uses unescaped interpolation {{{name}}}; use {{name}}')
      .waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await html.fill('<p>Dear {{name}}, on 26 February we remember together.</p>');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invitation 2027' }).waitFor();
    const mailingId = page.url().split('/').pop()!;
    expect(mailingId).toMatch(/^[0-9a-f-]{36}$/);

    // Preview for one recipient: the HTML in a frame that may run nothing, the text beside it.
    await page.getByLabel('Sample recipient (email)').fill('john@example.org');
    await page.getByRole('button', { name: 'Show preview' }).click();
    await page.getByRole('heading', { level: 3, name: 'Khojaly Remembrance Day' }).waitFor();
    await page.getByText('As john@example.org reads it (English)').waitFor();
    const frame = page.getByTitle('HTML version');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await frame.contentFrame().getByText('Dear John, on 26 February we remember together.').waitFor();
    expect(await page.getByRole('region', { name: 'Text version' }).count()).toBe(0);
    expect(await page.getByLabel('Text version').innerText()).toContain(
      'Dear John, on 26 February we remember together. http',
    );
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-mailing-preview-1280');

    // A test copy goes to that address only.
    await page.getByLabel('Send a test copy to').fill('editor@example.org');
    expect(await page.getByLabel('Language of the test copy').inputValue()).toBe('en');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByRole('status').filter({ hasText: 'A test copy was sent to editor@example.org.' }).waitFor();
    await t.smtp.waitForMailTo('editor@example.org');
    expect(t.smtp.received).toHaveLength(1);
    expect(t.smtp.received[0].envelopeTo).toEqual(['editor@example.org']);
    expect(t.smtp.received[0].parsed.subject).toBe('[TEST] Khojaly Remembrance Day');

    // Sending asks once and says to how many.
    await page.getByRole('button', { name: 'Send now…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this mailing?' });
    await dialog.getByText('Send to 4 recipients?').waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();

    const progress = page.getByRole('progressbar', { name: 'Progress' });
    await page.getByText('4 of 4 processed (100%)').waitFor({ timeout: 20_000 });
    expect(await progress.getAttribute('value')).toBe('100');
    await page.getByText('State: sent').waitFor();
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    const refused = deliveries.getByRole('row', { name: new RegExp(BOUNCE) });
    await refused.getByRole('cell', { name: 'failed' }).waitFor();
    expect(await refused.innerText()).toContain('550');
    expect(await refused.innerText()).toContain('Recipient address rejected');
    await page.getByLabel('Show').selectOption('failed');
    await eventually(
      () => deliveries.getByRole('row').count(),
      (rows) => rows === 2,
      10_000,
      'only the header and the failed row',
    );
    expect(await accessibilityViolations()).toEqual([]);
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-mailing-progress-768');

    // Each subscriber got it once, in their language; the refused address got nothing.
    const subjects = ['aysel@example.org', 'john@example.org', 'olga@example.org'].map((address) =>
      t.smtp.to(address).map((mail) => mail.parsed.subject),
    );
    expect(subjects).toEqual([
      ['Xocalı soyqırımının anım günü'],
      ['Khojaly Remembrance Day'],
      ['День памяти Ходжалинской трагедии'],
    ]);
    expect(t.smtp.to(BOUNCE)).toHaveLength(0);
    const mailing = (
      await t.http
        .get(`/mailings/${mailingId}`)
        .set(await t.auth('admin'))
        .expect(200)
    ).body as { counts: Record<string, number> };
    expect(mailing.counts).toMatchObject({ total: 4, sent: 3, failed: 1 });

    await page.getByRole('link', { name: 'All mailings' }).click();
    const row = page.getByRole('table', { name: 'Mailings' }).getByRole('row', { name: /Invitation 2027/ });
    // allInnerTexts does not wait: the list is fetched after the navigation.
    await row.waitFor();
    expect((await row.getByRole('cell').allInnerTexts()).slice(0, 3)).toEqual([
      'Confirmed subscribers',
      'sent',
      '3 / 4',
    ]);
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should schedule at a local time in the named zone, and cancel after a confirmation', async () => {
    const admin = await t.auth('admin');
    const audience = { kind: 'subscribers', ceremonyId };
    const created = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Day of remembrance',
        audience,
        content: { en: { subject: 'Khojaly Remembrance Day', text: 'We remember. {{unsubscribeUrl}}' } },
      })
      .expect(201);
    const { recipients } = (await t.http.post('/mailings/audience-count').set(admin).send({ audience }).expect(200))
      .body as { recipients: number };

    await signInAsAdmin(`/console/mailings/${created.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Day of remembrance' }).waitFor();
    await page.getByLabel('Send at (Asia/Baku)').fill('2027-02-26T09:00');
    await page.getByRole('button', { name: 'Schedule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this mailing?' });
    await dialog.getByText(`Send to ${recipients} recipients on 26 February 2027, 09:00 (Asia/Baku)?`).waitFor();
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText('Scheduled for 26 February 2027, 09:00 (Asia/Baku).').waitFor();
    const scheduled = (await t.http.get(`/mailings/${created.body.id}`).set(admin).expect(200)).body as {
      status: string;
      sendAt: string;
    };
    expect(scheduled).toMatchObject({ status: 'scheduled', sendAt: '2027-02-26T05:00:00.000Z' });

    // The overview lists it among the mailings in progress, with its progress, and leads back to it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    const inProgress = page.getByRole('region', { name: 'Mailings in progress' });
    await inProgress.getByRole('link', { name: 'Day of remembrance' }).waitFor();
    await inProgress.getByText(`0 of ${recipients} processed (0%)`).waitFor();
    expect(await inProgress.getByRole('progressbar').getAttribute('value')).toBe('0');
    expect(await accessibilityViolations()).toEqual([]);
    await inProgress.getByRole('link', { name: 'Day of remembrance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Day of remembrance' }).waitFor();

    await page.getByRole('button', { name: 'Cancel mailing…' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel this mailing?' });
    await cancel.getByText(`${recipients} messages not yet sent will not be sent.`, { exact: false }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await cancel.getByRole('button', { name: 'Cancel mailing' }).click();
    await page.getByText('State: cancelled').waitFor();
    const cancelled = (await t.http.get(`/mailings/${created.body.id}`).set(admin).expect(200)).body as {
      status: string;
      counts: { cancelled: number; sent: number };
    };
    expect(cancelled).toMatchObject({ status: 'cancelled', counts: { cancelled: recipients, sent: 0 } });
  });

  it('should open the composer prefilled from a link: volunteers of an edition in one role', async () => {
    const admin = await t.auth('admin');
    const role = await t.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(admin)
      .send({ name: 'Greeters', capacity: 4, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    await signInAsAdmin(`/console/mailings/new?audience=volunteers&edition=${ceremonyId}&roleId=${role.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'New mailing' }).waitFor();
    expect(await page.getByLabel('Recipients').inputValue()).toBe('volunteers');
    await eventually(
      () => page.getByLabel('Edition').inputValue(),
      (value) => value === ceremonyId,
      10_000,
      'the edition chosen',
    );
    await eventually(
      () => page.getByLabel('Volunteer role').inputValue(),
      (value) => value === role.body.id,
      10_000,
      'the role chosen',
    );
    await page.getByText('0 recipients', { exact: true }).waitFor();
  });

  it('should show an organizer no Mailings navigation and nothing to send, and the API refuses the organizer a send', async () => {
    const admin = await t.auth('admin');
    const draft = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Not for organizers',
        audience: { kind: 'subscribers' },
        content: { en: { subject: 'Khojaly Remembrance Day', text: 'We remember.' } },
      })
      .expect(201);
    await page.goto(`${base}/console/mailings`);
    await signInToConsole(page, ORGANIZER);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mailings' }).count()).toBe(
      0,
    );
    await page.getByRole('main').getByText(/./).first().waitFor();
    expect(await page.getByRole('heading', { name: 'Mailings' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Send/ }).count()).toBe(0);
    await page.goto(`${base}/console/mailings/${draft.body.id}`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.getByRole('button', { name: /Send/ }).count()).toBe(0);

    const organizer = await t.auth('organizer');
    await t.http.post(`/mailings/${draft.body.id}/send`).set(organizer).send({}).expect(403);
    const after = (await t.http.get(`/mailings/${draft.body.id}`).set(admin).expect(200)).body as { status: string };
    expect(after.status).toBe('draft');
  });
});
