import type { Page } from 'playwright-core';
import type { Locale } from '../../src/config/commemoration.config';
import { PAGE_TEXTS, PageTexts } from '../../src/pages/texts';
import type { TestApp } from '../support/app';
import { Browser, describeWithChromium, launchBrowser, screenshot, startServedApp } from './browser';

/** Words of the API's English for developers; none may reach an az or ru page. */
const DEVELOPER_ENGLISH = /\b(must|should|shorter|longer|property|constraint)\b|email must be|waitlist": true/i;

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key]));
const field = (texts: PageTexts, label: string, text: string) => fill(texts.errField, { label, text });

interface Case {
  name: string;
  /** Sets the form's fields (the page is fresh). */
  enter(page: Page, form: string): Promise<void>;
  /** Field -> the exact text expected in its error line. */
  expected(texts: PageTexts): Record<string, string>;
}

describeWithChromium('Form errors in the page language, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let counter = 0;
  const slot: Record<'open' | 'small' | 'full' | 'roomy', string> = { open: '', small: '', full: '', roomy: '' };
  const role: Record<'carnations' | 'interpreting' | 'parking', string> = {
    carnations: '',
    interpreting: '',
    parking: '',
  };
  const checked: Array<{ locale: Locale; form: string; name: string }> = [];

  const email = () => `person-${(counter += 1)}@example.org`;

  async function setValue(page: Page, selector: string, value: string): Promise<void> {
    // Typed characters such as BEL are not all passed by a keyboard; the value is set as a paste would.
    await page.locator(selector).evaluate((element, text) => {
      (element as unknown as { value: string }).value = text;
    }, value);
  }

  beforeAll(async () => {
    ({ t, base } = await startServedApp());
    const organizer = await t.auth('organizer');
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
    const ceremonyId = (ceremony.body as { id: string }).id;
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(organizer).expect(200);
    for (const [key, from, to, capacity] of [
      ['open', '11:00', '11:30', 10],
      ['small', '11:30', '12:00', 2],
      ['full', '12:00', '12:30', 3],
      ['roomy', '12:30', '13:00', 40],
    ] as const) {
      const created = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(organizer)
        .send({ startsAt: `2027-02-26T${from}:00+04:00`, endsAt: `2027-02-26T${to}:00+04:00`, capacity })
        .expect(201);
      slot[key] = (created.body as { id: string }).id;
    }
    await t.http
      .post(`/visit-slots/${slot.full}/bookings`)
      .send({ name: 'Class 9A', email: 'teacher@example.org', partySize: 3 })
      .expect(201);
    for (const [key, name, shiftStart, shiftEnd] of [
      ['carnations', 'Carnations', '09:00', '11:30'],
      ['interpreting', 'Interpreting', '11:00', '13:00'],
      ['parking', 'Parking', '14:00', '15:00'],
    ] as const) {
      const created = await t.http
        .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
        .set(organizer)
        .send({ name, capacity: 5, shiftStart, shiftEnd })
        .expect(201);
      role[key] = (created.body as { id: string }).id;
    }
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

  /** Submits one case on a fresh page and checks every field's error line and the page's words. */
  async function check(locale: Locale, path: string, form: string, ready: string, one: Case): Promise<void> {
    const texts = PAGE_TEXTS[locale];
    await page.goto(`${base}${path}?lang=${locale}`);
    await page.locator(ready).waitFor({ state: 'attached' });
    await one.enter(page, form);
    await page.locator(`${form} button[type="submit"]`).click();
    await page.locator(`${form} .form-error`).waitFor();
    for (const [name, text] of Object.entries(one.expected(texts))) {
      const error = page.locator(`${form} [data-field="${name}"] .field-error`);
      await error.waitFor();
      expect({ locale, case: one.name, field: name, text: (await error.textContent())?.trim() }).toEqual({
        locale,
        case: one.name,
        field: name,
        text,
      });
    }
    if (locale !== 'en') {
      const words = await page.locator('body').innerText();
      expect({ locale, case: one.name, english: DEVELOPER_ENGLISH.exec(words)?.[0] ?? null }).toEqual({
        locale,
        case: one.name,
        english: null,
      });
    }
    checked.push({ locale, form, name: one.name });
  }

  const personCases = (form: 'visit' | 'volunteer' | 'subscribe'): Case[] => {
    const name = `#${form}-form [name="name"]`;
    const mail = `#${form}-form [name="email"]`;
    const choose = async (page: Page) => {
      if (form === 'visit') await page.locator(`#slot-${slot.open}`).check();
      if (form === 'volunteer') await page.locator(`#role-${role.parking}`).check();
    };
    return [
      {
        name: 'empty',
        async enter(page) {
          await choose(page);
          if (form === 'visit') await page.locator('#visit-form [name="partySize"]').fill('');
        },
        expected: (texts) => ({
          email: field(texts, texts.fieldEmail, texts.errRequired),
          ...(form === 'subscribe' ? {} : { name: field(texts, texts.fieldName, texts.errRequired) }),
          ...(form === 'visit' ? { partySize: field(texts, texts.fieldPartySize, texts.errRequired) } : {}),
        }),
      },
      {
        name: 'too long',
        async enter(page) {
          await choose(page);
          await page.locator(name).fill('x'.repeat(201));
          await page.locator(mail).fill(email());
        },
        expected: (texts) => ({ name: field(texts, texts.fieldName, fill(texts.errTooLong, { max: 200 })) }),
      },
      {
        name: 'bad email',
        async enter(page) {
          await choose(page);
          await page.locator(name).fill('Leyla Aliyeva');
          await page.locator(mail).fill('leyla@@example');
        },
        expected: (texts) => ({ email: field(texts, texts.fieldEmail, texts.errInvalidEmail) }),
      },
      {
        name: 'control characters',
        async enter(page) {
          await choose(page);
          await setValue(page, name, 'Leyla\u0007Aliyeva\u001b');
          await page.locator(mail).fill(email());
        },
        expected: (texts) => ({ name: field(texts, texts.fieldName, texts.errInvalidCharacters) }),
      },
    ];
  };

  const visitCases: Case[] = [
    ...personCases('visit'),
    {
      name: 'bad party size',
      async enter(page) {
        await page.locator(`#slot-${slot.open}`).check();
        await page.locator('#visit-form [name="name"]').fill('Leyla Aliyeva');
        await page.locator('#visit-form [name="email"]').fill(email());
        await page.locator('#visit-form [name="partySize"]').fill('0');
      },
      expected: (texts) => ({ partySize: field(texts, texts.fieldPartySize, fill(texts.errAtLeast, { min: 1 })) }),
    },
    {
      name: 'full slot',
      async enter(page) {
        await page.locator(`#slot-${slot.full}`).check();
        await page.locator('#visit-form [name="name"]').fill('Samir Guliyev');
        await page.locator('#visit-form [name="email"]').fill(email());
      },
      expected: (texts) => ({ slotId: texts.visitSlotFull }),
    },
    {
      name: 'party too large',
      async enter(page) {
        await page.locator(`#slot-${slot.small}`).check();
        await page.locator('#visit-form [name="name"]').fill('School No. 6');
        await page.locator('#visit-form [name="email"]').fill(email());
        await page.locator('#visit-form [name="partySize"]').fill('5');
        // Even with the waiting list ticked: it cannot help a party larger than the time.
        await page.locator('#visit-form [name="waitlist"]').check();
      },
      expected: (texts) => ({
        partySize: field(texts, texts.fieldPartySize, fill(texts.errPartyTooLarge, { capacity: 2 })),
      }),
    },
  ];

  const volunteerCases: Case[] = [
    ...personCases('volunteer'),
    {
      name: 'overlapping roles',
      async enter(page) {
        await page.locator(`#role-${role.carnations}`).check();
        await page.locator(`#role-${role.interpreting}`).check();
        await page.locator('#volunteer-form [name="name"]').fill('Leyla Aliyeva');
        await page.locator('#volunteer-form [name="email"]').fill(email());
      },
      expected: (texts) => ({
        roleIds: field(
          texts,
          texts.fieldRoles,
          fill(texts.errRolesOverlap, { first: 'Carnations', second: 'Interpreting' }),
        ),
      }),
    },
  ];

  for (const locale of ['az', 'en', 'ru'] as const) {
    describe(`in ${locale}`, () => {
      it.each(visitCases.map((one) => [one.name, one] as const))(
        'should show the booking form error "%s" next to its field in the page language',
        async (_, one) => {
          await check(locale, '/p/visit', '#visit-form', `#slot-${slot.roomy}`, one);
        },
      );

      it.each(volunteerCases.map((one) => [one.name, one] as const))(
        'should show the volunteer form error "%s" next to its field in the page language',
        async (_, one) => {
          await check(locale, '/p/volunteer', '#volunteer-form', `#role-${role.parking}`, one);
        },
      );

      it.each(personCases('subscribe').map((one) => [one.name, one] as const))(
        'should show the subscription form error "%s" next to its field in the page language',
        async (_, one) => {
          await check(locale, '/p', '#subscribe-form', '#subscribe-form', one);
        },
      );

      it('should offer the times a party too large for the chosen time fits in, not the waiting list, and book one of them', async () => {
        const texts = PAGE_TEXTS[locale];
        await page.goto(`${base}/p/visit?lang=${locale}`);
        await page.locator(`#slot-${slot.roomy}`).waitFor({ state: 'attached' });
        await page.locator(`#slot-${slot.small}`).check();
        await page.locator('#visit-form [name="name"]').fill('School No. 6');
        await page.locator('#visit-form [name="email"]').fill(email());
        await page.locator('#visit-form [name="partySize"]').fill('5');
        await page.locator('#visit-form button[type="submit"]').click();
        const slotError = page.locator('#visit-form [data-field="slotId"] .field-error');
        await slotError.locator('button.offer').first().waitFor();
        expect(await slotError.textContent()).toContain(texts.errPartyFits);
        expect(await page.locator('#visit-form').innerText()).not.toContain(texts.visitSlotFull);
        const offered = await slotError
          .locator('button.offer')
          .evaluateAll((buttons) =>
            buttons.map((button) => (button as unknown as { dataset: { offerSlot: string } }).dataset.offerSlot),
          );
        // The times with room for five: not the small one, not the full one.
        expect(offered).toEqual([slot.open, slot.roomy]);
        await screenshot(page, `booking-party-too-large-${locale}`);
        await slotError.locator(`button[data-offer-slot="${slot.roomy}"]`).click();
        expect(await page.locator(`#slot-${slot.roomy}`).isChecked()).toBe(true);
        await page.locator('#visit-form button[type="submit"]').click();
        await page.getByRole('heading', { name: texts.visitConfirmedTitle }).waitFor();
      });
    });
  }

  it('should have checked every form with every kind of bad input in all three languages', () => {
    // 3 forms x their inputs x 3 languages: booking 7, volunteer 5, subscription 4.
    expect(checked).toHaveLength((7 + 5 + 4) * 3);
  });
});
