import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { FixedClock } from '../../src/common/clock';
import { ADMIN, TestApp } from '../support/app';
import { accessibilityViolations as violationsOf, signInToConsole, watchBrowserErrors } from './console';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

const ROOT = resolve(__dirname, '../..');
const clock = new FixedClock(new Date('2027-02-01T00:00:00Z'));
const ORGANIZER = { email: 'organizer.console@test.example', password: 'organizer-console-pass-1' };

/** The staff console driven as staff use it: by role and label, in Chromium, against the real API. */
describeWithChromium('Staff console in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let browserErrors: string[];

  const accessibilityViolations = () => violationsOf(page);

  async function sessionCookie(): Promise<string> {
    const cookie = (await browser.context.cookies(base)).find((item) => item.name === 'console_session');
    if (!cookie) throw new Error('No console_session cookie in the browser');
    return `console_session=${cookie.value}`;
  }

  const signIn = (credentials: { email: string; password: string }) => signInToConsole(page, credentials);

  beforeAll(async () => {
    // The console as `npm start` serves it: built when missing or older than its sources.
    execFileSync(process.execPath, [join(ROOT, 'console/scripts/build.mjs')], { stdio: 'inherit' });
    ({ t, base } = await startServedApp({ clock }));
    await t.http
      .post('/users')
      .set(await t.auth('admin'))
      .send({ ...ORGANIZER, role: 'organizer', name: 'Organizer' })
      .expect(201);
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

  it('should serve the console with a CSP that allows no inline script, and contain no inline script', async () => {
    const response = await page.goto(`${base}/console`);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.locator('script:not([src])').count()).toBe(0);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should keep the initial JavaScript of the console within 250 KB gzipped', async () => {
    const html = (await t.http.get('/console').expect(200)).text;
    const scripts = [
      ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="(\/console\/[^"]+\.js)"/g),
    ].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const script of scripts) {
      const response = await t.http
        .get(script)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('javascript');
      bytes += gzipSync(response.body as Buffer).length;
    }
    expect(bytes).toBeLessThanOrEqual(250 * 1024);
  });

  it('should show the message for a wrong password and set no session', async () => {
    await page.goto(`${base}/console?lang=en`);
    await signIn({ email: ADMIN.email, password: 'not-the-password' });
    await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
    expect((await browser.context.cookies(base)).some((cookie) => cookie.name === 'console_session')).toBe(false);
  });

  it('should ask for the two-factor code when the account has two-factor sign-in, and refuse a wrong one', async () => {
    const staff = { email: 'two-factor@test.example', password: 'two-factor-pass-2027' };
    await t.http
      .post('/users')
      .set(await t.auth('admin'))
      .send({ ...staff, role: 'organizer', name: 'Two Factor' })
      .expect(201);
    const token = (await t.http.post('/auth/login').send(staff).expect(200)).body.accessToken as string;
    const secret = (
      await t.http
        .post('/auth/2fa/setup')
        .set({ Authorization: `Bearer ${token}` })
        .expect(201)
    ).body.secret as string;
    const totp = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    const { recoveryCodes } = (
      await t.http
        .post('/auth/2fa/enable')
        .set({ Authorization: `Bearer ${token}` })
        .send({ totp })
        .expect(200)
    ).body as { recoveryCodes: string[] };

    await page.goto(`${base}/console`);
    await signIn(staff);
    await page.getByRole('status').filter({ hasText: 'Enter the code from your authenticator app.' }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByLabel('Two-factor code').fill('not-a-code');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two-factor code is wrong or was already used.' }).waitFor();
    await page.getByLabel('Two-factor code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
  });

  it('should show an empty state when no edition exists', async () => {
    await page.goto(`${base}/console`);
    await signIn(ADMIN);
    await page.getByText('No edition yet.', { exact: false }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should sign in with the keyboard only and show the figures of the current edition', async () => {
    const admin = await t.auth('admin');
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
    await t.http.post(`/ceremonies/${ceremony.body.id}/publish`).set(admin).expect(200);
    const slot = await t.http
      .post(`/ceremonies/${ceremony.body.id}/visit-slots`)
      .set(admin)
      .send({ startsAt: '2027-02-26T07:00:00Z', endsAt: '2027-02-26T08:00:00Z', capacity: 5 })
      .expect(201);
    await t.http
      .post(`/visit-slots/${slot.body.id}/bookings`)
      .send({ name: 'Aysel', email: 'aysel@example.org', partySize: 3 })
      .expect(201);
    await t.http
      .post(`/visit-slots/${slot.body.id}/bookings`)
      .send({ name: 'Murad', email: 'murad@example.org', partySize: 4, waitlist: true })
      .expect(201);
    await t.http
      .post(`/ceremonies/${ceremony.body.id}/volunteer-roles`)
      .set(admin)
      .send({ name: 'Greeters', capacity: 4, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);

    await page.goto(`${base}/console`);
    await page.getByLabel('Email').waitFor();
    // Tab from the top of the page (past the language switcher) into the form, as someone without a mouse does.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("name")')).toBe('email');
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: /Overview: Khojaly Remembrance Day 2027/ }).waitFor();
    const figures = (await page.locator('main dl').innerText()).replace(/\s+/g, ' ');
    expect(figures).toContain('Days until the ceremony 25');
    expect(figures).toContain('Booked 3 / 5');
    const visits = page.getByRole('table', { name: 'Visits' });
    const slotRow = visits.getByRole('row', { name: /26 February 2027, 11:00 \(Asia\/Baku\)/ });
    // Booked 3, free 2, one party of 4 waiting, nobody checked in yet.
    expect((await slotRow.getByRole('cell').allInnerTexts()).map((text) => text.trim())).toEqual(['3', '2', '4', '0']);
    const greeters = page.getByRole('table', { name: 'Volunteers' }).getByRole('row', { name: /Greeters/ });
    expect((await greeters.getByRole('cell').allInnerTexts()).map((text) => text.trim())).toEqual(['0 / 4', '0']);
    await page
      .getByRole('table', { name: 'Reminder runs' })
      .getByRole('cell', { name: '19 February 2027, 10:00 (Asia/Baku)' })
      .waitFor();
    await page.getByRole('heading', { name: 'Recent changes' }).waitFor();
    await page.getByRole('cell', { name: 'ceremony.create ceremony' }).first().waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-overview-1280');
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(await accessibilityViolations()).toEqual([]);
    await screenshot(page, 'console-overview-768');
  });

  it('should show the console in Azerbaijani and Russian with month names from its own catalogs', async () => {
    await page.goto(`${base}/console`);
    await signIn(ADMIN);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    await page.getByLabel('Language').selectOption('az');
    await page.getByRole('heading', { level: 1, name: /İcmal/ }).waitFor();
    await page.getByRole('rowheader', { name: '26 fevral 2027, 11:00 (Asia/Baku)' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('az');
    expect(await accessibilityViolations()).toEqual([]);
    await page.getByLabel('Dil').selectOption('ru');
    await page.getByRole('rowheader', { name: '26 февраля 2027, 11:00 (Asia/Baku)' }).waitFor();
    await page.getByLabel('Язык').selectOption('en');
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
  });

  it('should end the session on sign-out: the sign-in form returns and the old cookie gets 401', async () => {
    await page.goto(`${base}/console`);
    await signIn(ADMIN);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    const cookie = await sessionCookie();
    await t.http.get('/auth/me').set('Cookie', cookie).expect(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await t.http.get('/auth/me').set('Cookie', cookie).expect(401);
  });

  it('should end the session on a password change and sign in again with the new password', async () => {
    await page.goto(`${base}/console`);
    await signIn(ORGANIZER);
    await page.getByRole('link', { name: 'Password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change password' }).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    const cookie = await sessionCookie();
    await page.getByLabel('Current password').fill(ORGANIZER.password);
    // A common password is refused beside its field, and the session goes on.
    await page.getByLabel('New password').fill('password123');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('textbox', { name: 'New password' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    expect(await accessibilityViolations()).toEqual([]);
    await t.http.get('/auth/me').set('Cookie', cookie).expect(200);
    await page.getByLabel('New password').fill('a-new-organizer-passphrase-7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password was changed.' }).waitFor();
    await t.http.get('/auth/me').set('Cookie', cookie).expect(401);
    ORGANIZER.password = 'a-new-organizer-passphrase-7';
    await signIn(ORGANIZER);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
  });

  it('should show an organizer no admin navigation, and the API refuses the organizer an admin route', async () => {
    await page.goto(`${base}/console`);
    await signIn(ORGANIZER);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    const navigation = page.getByRole('navigation', { name: 'Main' });
    expect(await navigation.getByRole('link').allInnerTexts()).toEqual([
      'Overview',
      'Editions',
      'Visits',
      'Check-in',
      'Volunteers',
      'Password',
    ]);
    expect(await page.getByRole('heading', { name: 'Recent changes' }).count()).toBe(0);
    const cookie = await sessionCookie();
    await t.http.get('/audit-log').set('Cookie', cookie).expect(403);
    await t.http.get('/users').set('Cookie', cookie).expect(403);
  });

  it('should take an admin to the audit log view and pass axe there', async () => {
    await page.goto(`${base}/console`);
    await signIn(ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'user.create user' }).first().waitFor();
    expect(page.url()).toBe(`${base}/console/audit`);
    expect(await accessibilityViolations()).toEqual([]);
  });

  it('should take an expired session back to the sign-in form with a message, and back to the same page after signing in', async () => {
    await page.goto(`${base}/console/audit`);
    await signIn(ADMIN);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    // The session ends elsewhere (sign-out on another device revokes every earlier token).
    await t.http
      .post('/auth/logout')
      .set('Cookie', await sessionCookie())
      .set('X-Requested-With', 'console')
      .expect(204);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('status').filter({ hasText: 'Your session has ended. Please sign in again.' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'detached' });
    // Back on the page they were on (the browser's history), they sign in and stay there.
    await page.goBack();
    await signIn(ADMIN);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  });
});
