import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DeliveriesQueue } from '../../src/mailings/deliveries.queue';
import type { TestApp } from '../support/app';
import { rawHeader } from '../support/smtp-sink';
import { Browser, describeWithChromium, launchBrowser, screenshot, tokenLink, startServedApp } from './browser';

type Headers = { Authorization: string };

describeWithChromium('Public pages in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let organizer: Headers;
  let ceremonyId: string;
  let page: Page;
  let browserErrors: string[];

  async function slots(): Promise<Array<{ id: string; remaining: number; booked: number }>> {
    return (await t.http.get(`/ceremonies/${ceremonyId}/visit-slots`).expect(200)).body as Array<{
      id: string;
      remaining: number;
      booked: number;
    }>;
  }

  /** A page link for a private link from a mail: the mail's own link when it already points at a page. */
  /** The page a mailed link opens; booking and volunteer links must lead to a page, not to the JSON API. */
  function pageFor(mailUrl: string, token: string, pagePath: string): string {
    if (pagePath !== '/p/subscribe/confirm') expect(mailUrl.startsWith(`${base}${pagePath}?token=${token}`)).toBe(true);
    return mailUrl.startsWith(`${base}/p/`) ? mailUrl : `${base}${pagePath}?token=${token}&lang=en`;
  }

  /** The axe-core rules (WCAG 2.1 A and AA, contrast included, and best practices) that the page in its current state breaks. */
  async function accessibilityViolations(): Promise<Array<{ rule: string; targets: string[] }>> {
    // Evaluated through the DevTools protocol, so the page's CSP does not apply to the checker itself.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    // A string, as the tests are compiled without the DOM types.
    const result = await page.evaluate<{ passes: number; violations: Array<{ rule: string; targets: string[] }> }>(`
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((outcome) => ({
        passes: outcome.passes.length,
        violations: outcome.violations.map((violation) => ({ rule: violation.id, targets: violation.nodes.map((node) => node.target.join(' ')) })),
      }))`);
    expect(result.passes).toBeGreaterThan(10);
    return result.violations;
  }

  beforeAll(async () => {
    ({ t, base } = await startServedApp());
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
    for (const item of [
      { startTime: '10:00', endTime: '10:30', title: 'Minute of silence and laying of flowers' },
      { startTime: '10:30', endTime: '11:15', title: 'Words of remembrance', speaker: 'Survivors of Khojaly' },
    ]) {
      await t.http.post(`/ceremonies/${ceremonyId}/program`).set(organizer).send(item).expect(201);
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    browserErrors = [];
    page.on('pageerror', (error) => browserErrors.push(error.message));
    // A CSP refusal shows up as a console error; failed requests are recorded with their address instead.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        browserErrors.push(message.text());
    });
    page.on('response', (response) => {
      // Browsers ask for /favicon.ico on pages that name no icon (the unsubscribe page of Mailings).
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
        browserErrors.push(`${response.status()} ${response.url()}`);
    });
  });

  afterEach(async () => {
    await page.close();
  });

  /** CSP refusals the page itself saw (securitypolicyviolation events), recorded by a script injected before any of the page's. */
  async function cspViolations(): Promise<string[]> {
    return page.evaluate<string[]>('window.__cspViolations ?? ["(no recorder)"]');
  }

  it('should render the API docs and the public pages under a CSP without inline scripts, with no CSP violation', async () => {
    // Injected through the DevTools protocol, so the recorder itself is not subject to the CSP.
    await page.addInitScript(
      `window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));`,
    );
    const docs = await page.goto(`${base}/docs`);
    expect(docs?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'commemoration-api' }).waitFor();
    await expect(page.locator('.opblock').count()).resolves.toBeGreaterThan(20);
    expect(await cspViolations()).toEqual([]);
    for (const path of ['/p?lang=en', '/p/visit?lang=en', '/p/volunteer?lang=en']) {
      await page.goto(`${base}${path}`);
      await page.locator('h1').waitFor();
      expect({ path, violations: await cspViolations() }).toEqual({ path, violations: [] });
    }
    expect(browserErrors).toEqual([]);
  });

  it('should show the current ceremony with its program, and switch language with the page in that language', async () => {
    const response = await page.goto(`${base}/p?lang=en`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Khojaly Remembrance Day 2027');
    const program = page.locator('ol.program > li');
    await expect(program.count()).resolves.toBe(2);
    await expect(program.nth(1).textContent()).resolves.toContain('Words of remembrance');
    await expect(page.locator('.facts').textContent()).resolves.toContain(
      'February 26, 2027, 10:00 (Asia/Baku, GMT+4)',
    );
    await screenshot(page, 'ceremony-en');

    await page.getByRole('link', { name: 'Русский' }).click();
    await page.waitForURL(/lang=ru/);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await expect(page.getByRole('heading', { name: 'Программа' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('.facts').textContent()).resolves.toContain('26 февраля 2027');
    expect(browserErrors).toEqual([]);
  });

  describe('memorial visits', () => {
    let slotId: string;

    beforeAll(async () => {
      const created = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(organizer)
        .send({ startsAt: '2027-02-26T12:00:00+04:00', endsAt: '2027-02-26T12:30:00+04:00', capacity: 3 })
        .expect(201);
      slotId = (created.body as { id: string }).id;
      // Neighbouring slots, one of them full, so the page (and its screenshot in the README) shows both states.
      for (const [from, to, capacity] of [
        ['11:00', '11:30', 40],
        ['11:30', '12:00', 40],
        ['12:30', '13:00', 2],
      ] as const) {
        const other = await t.http
          .post(`/ceremonies/${ceremonyId}/visit-slots`)
          .set(organizer)
          .send({ startsAt: `2027-02-26T${from}:00+04:00`, endsAt: `2027-02-26T${to}:00+04:00`, capacity })
          .expect(201);
        if (capacity === 2) {
          await t.http
            .post(`/visit-slots/${(other.body as { id: string }).id}/bookings`)
            .send({ name: 'Class 9A', email: 'teacher@example.org', partySize: 2 })
            .expect(201);
        }
      }
    });

    async function openBookingPage(): Promise<void> {
      await page.goto(`${base}/p/visit?lang=en`);
      await page.locator(`[data-slot-remaining="${slotId}"]`).waitFor();
    }

    it('should show a validation message from the API next to the field it names', async () => {
      await openBookingPage();
      await page.getByLabel('12:00–12:30').check();
      await page.getByLabel('Full name').fill('Leyla Aliyeva');
      await page.getByLabel('Email address').fill('not-an-email');
      await page.getByRole('button', { name: 'Book the visit' }).click();

      const error = page.locator('[data-field="email"] .field-error');
      await error.waitFor();
      await expect(error.textContent()).resolves.toBe('Email address: not a valid email address');
      expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
      // The input is described by its error, so a screen reader reads it with the field.
      expect(await page.getByLabel('Email address').getAttribute('aria-describedby')).toBe(
        await error.getAttribute('id'),
      );
      await expect(page.locator('[data-field="name"] .field-error').isHidden()).resolves.toBe(true);
      await screenshot(page, 'booking-validation');
      expect(await accessibilityViolations()).toEqual([]);
      expect((await slots()).find((slot) => slot.id === slotId)?.booked).toBe(0);
    });

    it('should show the remaining places, book a visit and confirm it on the page and by mail', async () => {
      await openBookingPage();
      await expect(page.locator(`[data-slot-remaining="${slotId}"]`).textContent()).resolves.toBe('Places left: 3');
      await screenshot(page, 'booking-page-mobile');

      await page.getByLabel('12:00–12:30').check();
      await page.getByLabel('Full name').fill('Leyla Aliyeva');
      await page.getByLabel('Email address').fill('leyla@example.org');
      await page.getByLabel('Number of people, yourself included').fill('2');
      await page.getByRole('button', { name: 'Book the visit' }).click();

      await page.getByRole('heading', { name: 'Your visit is booked' }).waitFor();
      // The list is refreshed after the booking.
      await page
        .locator(`[data-slot-remaining="${slotId}"]`, { hasText: 'Places left: 1' })
        .waitFor({ state: 'attached' });
      await screenshot(page, 'booking-confirmed');
      expect((await slots()).find((slot) => slot.id === slotId)).toMatchObject({ booked: 2, remaining: 1 });
      await t.smtp.waitForMailTo('leyla@example.org');
      expect(browserErrors).toEqual([]);
    });

    it('should say why a full time cannot be booked, and take a place on its waiting list when asked', async () => {
      await openBookingPage();
      await page.getByLabel('12:30–13:00').check();
      await page.getByLabel('Full name').fill('Samir Guliyev');
      await page.getByLabel('Email address').fill('samir@example.org');
      await page.getByRole('button', { name: 'Book the visit' }).click();
      const slotError = page.locator('[data-field="slotId"] .field-error');
      await slotError.waitFor();
      await expect(slotError.textContent()).resolves.toBe(
        'This time has too few free places. Choose another time, or tick the waiting list box below.',
      );

      await page.getByLabel('If the time is full, put me on the waiting list').check();
      await page.getByRole('button', { name: 'Book the visit' }).click();
      await page.getByRole('heading', { name: 'You are on the waiting list' }).waitFor();
      await screenshot(page, 'booking-waitlisted');
    });

    it('should cancel a booking from the manage page reached by the mailed link', async () => {
      await t.http
        .post(`/visit-slots/${slotId}/bookings`)
        .send({ name: 'Elnur Hasanov', email: 'elnur@example.org', partySize: 1, locale: 'en' })
        .expect(201);
      const before = (await slots()).find((slot) => slot.id === slotId)!;
      const mail = await t.smtp.waitForMailTo('elnur@example.org');
      const link = tokenLink(mail.parsed.text ?? '');
      await page.goto(pageFor(link.url, link.token, '/p/visit/manage'));
      await page.getByText('Confirmed', { exact: true }).waitFor();
      await expect(page.locator('#record').textContent()).resolves.toContain('Elnur Hasanov');
      // The check-in QR code shows as a loaded image (a data: URL the CSP allows), with a download of the booking's data.
      const qr = page.getByRole('img', { name: 'Show this code at the entrance to be checked in' });
      await expect(qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBe(
        174,
      );
      await expect(
        page.getByRole('link', { name: 'Download my booking data (JSON)' }).getAttribute('href'),
      ).resolves.toBe(`/bookings/manage/${link.token}/export`);

      await page.getByRole('button', { name: 'Cancel this booking' }).click();
      await page.getByText('Your booking is cancelled.', { exact: false }).waitFor();
      await expect(page.locator('#record dd').first().textContent()).resolves.toBe('Cancelled');
      await screenshot(page, 'booking-cancelled');
      expect((await slots()).find((slot) => slot.id === slotId)).toMatchObject({
        booked: before.booked - 1,
        remaining: before.remaining + 1,
      });
      expect(browserErrors).toEqual([]);

      // The language switcher keeps the private token.
      await page.getByRole('link', { name: 'Русский' }).click();
      await page.waitForURL(
        (url) => url.searchParams.get('lang') === 'ru' && url.searchParams.get('token') === link.token,
      );
      await page.getByText('Отменена', { exact: true }).waitFor();
    });
  });

  describe('volunteers', () => {
    beforeAll(async () => {
      await t.http
        .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
        .set(organizer)
        .send({
          name: 'Guiding visitors',
          description: 'At the memorial entrance',
          capacity: 4,
          shiftStart: '09:00',
          shiftEnd: '12:00',
        })
        .expect(201);
    });

    it('should sign up, confirm with the mailed link, then see, export and withdraw the record', async () => {
      await page.goto(`${base}/p/volunteer?lang=en`);
      await page.getByLabel('Guiding visitors').check();
      await page.getByLabel('Full name').fill('Rauf Mammadov');
      await page.getByLabel('Email address').fill('rauf@example.org');
      await page.getByLabel('English').check();
      await page.getByLabel('Send me reminder emails about my volunteering').check();
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Please check your email' }).waitFor();
      await screenshot(page, 'volunteer-signed-up');

      const mail = await t.smtp.waitForMailTo('rauf@example.org');
      const link = tokenLink(mail.parsed.text ?? '');
      await page.goto(pageFor(link.url, link.token, '/p/volunteer/confirm'));
      await page.getByRole('button', { name: 'Confirm my sign-up' }).click();
      await page.getByRole('heading', { name: 'Thank you, your sign-up is confirmed' }).waitFor();
      await expect(page.locator('#record ul').textContent()).resolves.toContain(
        'Guiding visitors, February 26, 09:00–12:00 (Asia/Baku, GMT+4): Place held',
      );
      await screenshot(page, 'volunteer-confirmed');

      await page.getByRole('link', { name: 'See or change your sign-up' }).click();
      await page.getByRole('button', { name: 'Withdraw and erase my data' }).waitFor();
      await expect(page.locator('#record').textContent()).resolves.toContain('rauf@example.org');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download my data (JSON)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('my-volunteer-data.json');

      await page.getByRole('button', { name: 'Withdraw and erase my data' }).click();
      await page.getByText('You have withdrawn. Your personal data has been erased.').waitFor();
      await screenshot(page, 'volunteer-withdrawn');
      const roles = (await t.http.get(`/ceremonies/${ceremonyId}/volunteer-roles`).expect(200)).body as Array<{
        filled: number;
      }>;
      expect(roles[0].filled).toBe(0);
      expect(browserErrors).toEqual([]);
    });

    it('should name the missing role next to the roles before calling the API', async () => {
      await page.goto(`${base}/p/volunteer?lang=az`);
      await page.locator('#f-roleIds-list input').first().waitFor();
      await page.getByRole('button', { name: 'Qeydiyyatdan keç' }).click();
      await expect(page.locator('[data-field="roleIds"] .field-error').textContent()).resolves.toBe(
        'Ən azı bir vəzifə seçin.',
      );
    });
  });

  describe('annual reminder', () => {
    it('should subscribe on the ceremony page, confirm by the mailed link, and unsubscribe with the single button behind a mailing', async () => {
      await page.goto(`${base}/p?lang=en`);
      await page.getByLabel('Email address').fill('nigar@example.org');
      await page.getByLabel('Full name').fill('Nigar');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByRole('heading', { name: 'Please check your email' }).waitFor();

      const confirmation = await t.smtp.waitForMailTo('nigar@example.org');
      const link = tokenLink(confirmation.parsed.text ?? '');
      await page.goto(pageFor(link.url, link.token, '/p/subscribe/confirm'));
      await page.getByRole('button', { name: 'Confirm my subscription' }).click();
      await page.getByRole('heading', { name: 'Your subscription is confirmed' }).waitFor();
      await screenshot(page, 'subscription-confirmed');

      const admin = await t.auth('admin');
      const mailing = await t.http
        .post('/mailings')
        .set(admin)
        .send({
          name: 'Reminder',
          audience: { kind: 'subscribers', ceremonyId },
          content: {
            en: {
              subject: 'The day of remembrance',
              text: 'The ceremony begins at 10:00.\nUnsubscribe: {{unsubscribeUrl}}',
            },
          },
        })
        .expect(201);
      const mailingId = (mailing.body as { id: string }).id;
      t.smtp.clear();
      await t.http.post(`/mailings/${mailingId}/send`).set(admin).send({}).expect(202);
      const processor = t.app.get(DeliveriesQueue).runner;
      while ((await processor.processDueBatch()) > 0);
      const reminder = await t.smtp.waitForMailTo('nigar@example.org');
      const unsubscribeUrl = rawHeader(reminder, 'List-Unsubscribe')!.replace(/^<|>$/g, '');
      expect(unsubscribeUrl.startsWith(`${base}/unsubscribe/`)).toBe(true);

      await page.goto(unsubscribeUrl);
      await expect(page.locator('button').count()).resolves.toBe(1);
      await screenshot(page, 'unsubscribe-page');
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
      await screenshot(page, 'unsubscribed');
      const [subscriber] = await t.db.query<{ status: string }>(
        `SELECT status FROM subscribers WHERE email = 'nigar@example.org'`,
      );
      expect(subscriber.status).toBe('unsubscribed');
      expect(browserErrors).toEqual([]);
    });
  });

  it('should say a private link is not valid when its token is unknown', async () => {
    await page.goto(`${base}/p/visit/manage?token=${'A'.repeat(43)}&lang=en`);
    await page.getByText('This link is not valid or has expired.').waitFor();
  });
  it('should pass the axe accessibility rules on every page once data is shown', async () => {
    const found: Array<{ url: string; rule: string; targets: string[] }> = [];
    const token = 'A'.repeat(43);
    // Each kind of page once, the languages spread over them (the pages differ only in their texts across languages).
    for (const path of [
      '/p?lang=az',
      '/p/visit?lang=en',
      '/p/volunteer?lang=ru',
      `/p/visit/manage?lang=en&token=${token}`,
      `/p/volunteer/confirm?lang=az&token=${token}`,
      `/p/volunteer/me?lang=ru&token=${token}`,
    ]) {
      await page.goto(`${base}${path}`);
      // A locator wait, not waitForFunction: a string predicate is evaluated with eval, which the page's CSP refuses.
      await page.locator('.loading:not([hidden])').first().waitFor({ state: 'detached' });
      found.push(...(await accessibilityViolations()).map((violation) => ({ url: path, ...violation })));
    }
    expect(found).toEqual([]);
  });
});

describeWithChromium('Public pages in each language in a real browser', () => {
  const TITLE = {
    az: 'Xocalı soyqırımı qurbanlarının anım günü 2027',
    en: 'Khojaly Remembrance Day 2027',
    ru: 'День памяти жертв Ходжалинского геноцида 2027',
  };
  const VENUE = {
    az: 'Xocalı soyqırımı memorialı',
    en: 'Khojaly Genocide Memorial',
    ru: 'Мемориал жертвам Ходжалинского геноцида',
  };
  const SILENCE = { az: 'Sükut dəqiqəsi', en: 'Minute of silence', ru: 'Минута молчания' };
  const ROLE = { az: 'Qərənfillər', en: 'Carnations', ru: 'Гвоздики' };
  // Only Azerbaijani and English: Russian readers get the edition's first language, not an empty line.
  const SPEAKER = { az: 'Xocalı sakinləri', en: 'Survivors of Khojaly' };
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    ({ t, base } = await startServedApp());
    const organizer = await t.auth('organizer');
    const created = await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({ year: 2027, title: TITLE, startTime: '10:00', venue: { name: VENUE, address: 'Khatai district, Baku' } })
      .expect(201);
    const ceremonyId = (created.body as { id: string }).id;
    await t.http
      .post(`/ceremonies/${ceremonyId}/program`)
      .set(organizer)
      .send({ startTime: '10:00', endTime: '10:30', title: SILENCE, speaker: SPEAKER })
      .expect(201);
    await t.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(organizer)
      .send({ name: ROLE, capacity: 10, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T12:00:00+04:00', endsAt: '2027-02-26T12:30:00+04:00', capacity: 10 })
      .expect(201);
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(organizer).expect(200);
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

  it('should show the title, venue, program and roles in the language of ?lang=', async () => {
    for (const lang of ['az', 'en', 'ru'] as const) {
      await page.goto(`${base}/p?lang=${lang}`);
      await expect(page.locator('h1').textContent()).resolves.toBe(TITLE[lang]);
      await expect(page.locator('.facts').textContent()).resolves.toContain(VENUE[lang]);
      await expect(page.locator('ol.program .program-title').first().textContent()).resolves.toBe(SILENCE[lang]);
      await expect(page.locator('ol.program .program-speaker').first().textContent()).resolves.toBe(
        lang === 'ru' ? SPEAKER.az : SPEAKER[lang],
      );
      await screenshot(page, `ceremony-localized-${lang}`);
      const calendar = await page.request.get(
        new URL((await page.getByRole('link', { name: /\.ics/ }).getAttribute('href')) ?? '', base).toString(),
      );
      expect(await calendar.text()).toContain(`SUMMARY:${SILENCE[lang]}`);

      await page.goto(`${base}/p/volunteer?lang=${lang}`);
      await expect(page.locator('.context').textContent()).resolves.toBe(TITLE[lang]);
      await page.locator('#f-roleIds-list .choice-label').first().waitFor();
      await expect(page.locator('#f-roleIds-list .choice-label').first().textContent()).resolves.toBe(ROLE[lang]);
    }
  });

  it('should write every date in the page language whatever the browser ICU holds: slots, confirmation, manage page, shifts', async () => {
    const DAY = { az: '26 fevral', en: 'February 26', ru: '26 февраля' };
    for (const lang of ['az', 'en', 'ru'] as const) {
      const slot = `${DAY[lang]}, 12:00–12:30 (Asia/Baku, GMT+4)`;
      await page.goto(`${base}/p/visit?lang=${lang}`);
      const label = page.locator('#f-slotId-list .choice-label').first();
      await label.waitFor();
      await expect(label.textContent()).resolves.toBe(slot);

      await page.locator('#f-slotId-list input').first().check();
      await page.locator('#f-name').fill(`Visitor ${lang}`);
      await page.locator('#f-email').fill(`visitor-${lang}@example.org`);
      await page.locator('#visit-form button[type="submit"]').click();
      await page.locator('#visit-result').waitFor();
      await expect(page.locator('#visit-result-when').textContent()).resolves.toContain(slot);

      await page.locator('#visit-manage-link').click();
      await page.locator('#record dl').waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await expect(page.locator('#record').textContent()).resolves.toContain(slot);
      await screenshot(page, `booking-manage-${lang}`);

      await page.goto(`${base}/p/volunteer?lang=${lang}`);
      const shift = page.locator('#f-roleIds-list .choice-detail').first();
      await shift.waitFor();
      await expect(shift.textContent()).resolves.toContain(`${DAY[lang]}, 09:00–12:00 (Asia/Baku, GMT+4)`);
    }
  });
});
