import { DeliveriesQueue } from '../src/mailings/deliveries.queue';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { createTestApp, TestApp } from './support/app';
import type { ReceivedMail } from './support/smtp-sink';

/** The private links (those carrying a token) in a mail's text. */
function privateLinks(mail: ReceivedMail): URL[] {
  return [...(mail.parsed.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)]
    .map(([url]) => new URL(url))
    .filter((url) => url.searchParams.has('token') || url.pathname.startsWith('/unsubscribe/'));
}

describe('Private links in mails keep the recipient language', () => {
  let t: TestApp;
  let ceremonyId: string;
  const settled = () => t.app.get(JobsQueue).runner.settled();

  beforeAll(async () => {
    // The site defaults to Azerbaijani; this edition speaks Russian first, so people who name no language get Russian mail.
    t = await createTestApp({ env: { DEFAULT_LOCALE: 'az' } });
    const organizer = await t.auth('organizer');
    const created = await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({
        year: 2027,
        title: { ru: 'День памяти 2027', az: 'Anım günü 2027' },
        startTime: '10:00',
        locales: ['ru', 'az'],
        venue: { name: 'Мемориал', address: 'Баку' },
      })
      .expect(201);
    ceremonyId = (created.body as { id: string }).id;
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(organizer).expect(200);
  });
  afterAll(() => t.close());

  /** Opens a mailed link on the app and answers the page's language and its text. */
  async function open(link: URL): Promise<{ lang: string | undefined; html: string }> {
    const response = await t.http.get(link.pathname + link.search).expect(200);
    return { lang: /<html lang="(\w+)"/.exec(response.text)?.[1], html: response.text };
  }

  it('should put lang=<mail language> on the booking manage link, and open the manage page in that language', async () => {
    const organizer = await t.auth('organizer');
    const slot = await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T12:00:00+04:00', endsAt: '2027-02-26T12:30:00+04:00', capacity: 5 })
      .expect(201);
    await t.http
      .post(`/visit-slots/${(slot.body as { id: string }).id}/bookings`)
      .send({ name: 'Анна', email: 'anna@example.org', partySize: 1 })
      .expect(201);
    const mail = await t.smtp.waitForMailTo('anna@example.org');
    const [link] = privateLinks(mail);
    expect(link.pathname).toBe('/p/visit/manage');
    expect(link.searchParams.get('lang')).toBe('ru');
    const page = await open(link);
    expect(page.lang).toBe('ru');
    expect(page.html).toContain('Ваша запись');
  });

  it('should put lang=<mail language> on the volunteer confirm and manage links, and open both pages in that language', async () => {
    const organizer = await t.auth('organizer');
    const role = await t.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(organizer)
      .send({ name: { ru: 'Гвоздики', az: 'Qərənfillər' }, capacity: 5, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    await t.http
      .post('/volunteers')
      .send({
        ceremonyId,
        name: 'Ирина',
        email: 'irina@example.org',
        roleIds: [(role.body as { id: string }).id],
        consentReminders: false,
      })
      .expect(202);
    await settled();
    const request = await t.smtp.waitForMailTo('irina@example.org');
    const [confirmLink] = privateLinks(request);
    expect(confirmLink.pathname).toBe('/p/volunteer/confirm');
    expect(confirmLink.searchParams.get('lang')).toBe('ru');
    expect(await open(confirmLink)).toMatchObject({ lang: 'ru', html: expect.stringContaining('Подтвердите') });

    t.smtp.clear();
    await t.http
      .post('/volunteers/confirm')
      .send({ token: confirmLink.searchParams.get('token') })
      .expect(200);
    await settled();
    const confirmed = await t.smtp.waitForMailTo('irina@example.org');
    const [manageLink] = privateLinks(confirmed);
    expect(manageLink.pathname).toBe('/p/volunteer/me');
    expect(manageLink.searchParams.get('lang')).toBe('ru');
    expect(await open(manageLink)).toMatchObject({
      lang: 'ru',
      html: expect.stringContaining('Ваша запись волонтёром'),
    });
  });

  it('should put lang=<mail language> on the subscription confirm link and the unsubscribe link of a mailing, each opening in that language', async () => {
    await t.http.post('/subscriptions').send({ email: 'oleg@example.org', locale: 'ru' }).expect(202);
    await settled();
    const request = await t.smtp.waitForMailTo('oleg@example.org');
    const [confirmLink] = privateLinks(request);
    expect(confirmLink.searchParams.get('lang')).toBe('ru');
    expect(await open(confirmLink)).toMatchObject({
      lang: 'ru',
      html: expect.stringContaining('Подтвердите подписку'),
    });
    await t.http
      .post('/subscriptions/confirm')
      .send({ token: confirmLink.searchParams.get('token') })
      .expect(200);

    const admin = await t.auth('admin');
    const mailing = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Напоминание',
        audience: { kind: 'subscribers', ceremonyId },
        content: { ru: { subject: 'День памяти', text: 'Отписаться: {{unsubscribeUrl}}' } },
      })
      .expect(201);
    t.smtp.clear();
    await t.http
      .post(`/mailings/${(mailing.body as { id: string }).id}/send`)
      .set(admin)
      .send({})
      .expect(202);
    const processor = t.app.get(DeliveriesQueue).runner;
    while ((await processor.processDueBatch()) > 0);
    const reminder = await t.smtp.waitForMailTo('oleg@example.org');
    const [unsubscribe] = privateLinks(reminder);
    expect(unsubscribe.pathname).toMatch(/^\/unsubscribe\//);
    expect(unsubscribe.searchParams.get('lang')).toBe('ru');
    expect((await open(unsubscribe)).lang).toBe('ru');
  });
  it('should open the subscription and unsubscribe pages in the language the link asks for, over the stored one, and keep it through the form', async () => {
    await t.http.post('/subscriptions').send({ email: 'lena@example.org', locale: 'ru' }).expect(202);
    await settled();
    const [confirmLink] = privateLinks(await t.smtp.waitForMailTo('lena@example.org'));
    const token = confirmLink.searchParams.get('token')!;
    const english = await open(new URL(`${confirmLink.origin}/subscriptions/confirm?token=${token}&lang=en`));
    expect(english.lang).toBe('en');
    expect(english.html).toContain('action="/subscriptions/confirm?lang=en"');
    const confirmed = await t.http.post('/subscriptions/confirm?lang=en').type('form').send({ token }).expect(200);
    expect(/<html lang="(\w+)"/.exec(confirmed.text)?.[1]).toBe('en');

    const admin = await t.auth('admin');
    const mailing = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Напоминание',
        audience: { kind: 'subscribers', ceremonyId },
        content: { ru: { subject: 'День памяти', text: 'Отписаться: {{unsubscribeUrl}}' } },
      })
      .expect(201);
    t.smtp.clear();
    await t.http
      .post(`/mailings/${(mailing.body as { id: string }).id}/send`)
      .set(admin)
      .send({})
      .expect(202);
    const processor = t.app.get(DeliveriesQueue).runner;
    while ((await processor.processDueBatch()) > 0);
    const [unsubscribe] = privateLinks(await t.smtp.waitForMailTo('lena@example.org'));
    expect((await open(new URL(`${unsubscribe.origin}${unsubscribe.pathname}?lang=az`))).lang).toBe('az');
    // A language the site does not speak is ignored: the recipient's own language answers.
    expect((await open(new URL(`${unsubscribe.origin}${unsubscribe.pathname}?lang=fr`))).lang).toBe('ru');
    const done = await t.http
      .post(`${unsubscribe.pathname}?lang=en`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(/<html lang="(\w+)"/.exec(done.text)?.[1]).toBe('en');
  });
});
