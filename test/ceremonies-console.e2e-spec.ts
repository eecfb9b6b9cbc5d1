import { FixedClock } from '../src/common/clock';
import { createTestApp, TestApp } from './support/app';

const VENUE = { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' };

describe('Defaults of a new edition (GET /ceremonies/defaults)', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-12-31T23:30:00Z'));

  beforeAll(async () => {
    // A configured anniversary other than the usual one, so the answer is seen to come from configuration.
    t = await createTestApp({ clock, env: { COMMEMORATION_DATE: '02-29', DEFAULT_TIME_ZONE: 'Europe/Paris' } });
  });
  afterAll(() => t.close());

  it('should refuse the defaults without a staff token', async () => {
    await t.http.get('/ceremonies/defaults').expect(401);
  });

  it('should propose this year in the default zone, with the configured date and zone, when no edition exists', async () => {
    // 23:30 UTC on 31 December 2026 is already 1 January 2027 in Paris.
    const response = await t.http
      .get('/ceremonies/defaults')
      .set(await t.auth('organizer'))
      .expect(200);
    expect(response.body).toEqual({
      year: 2027,
      date: '2027-02-28',
      timeZone: 'Europe/Paris',
      locales: ['az', 'en', 'ru'],
    });
  });

  it('should answer the date of a given year, moving 29 February to the 28th outside leap years', async () => {
    const organizer = await t.auth('organizer');
    expect((await t.http.get('/ceremonies/defaults?year=2028').set(organizer).expect(200)).body).toMatchObject({
      year: 2028,
      date: '2028-02-29',
    });
    expect((await t.http.get('/ceremonies/defaults?year=2027').set(organizer).expect(200)).body).toMatchObject({
      year: 2027,
      date: '2027-02-28',
    });
  });

  it('should propose the year after the newest edition, and give what POST /ceremonies applies when the fields are left out', async () => {
    const organizer = await t.auth('organizer');
    const created = await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({ year: 2030, title: 'Khojaly Remembrance Day 2030', startTime: '10:00', venue: VENUE })
      .expect(201);
    const defaults = (await t.http.get('/ceremonies/defaults').set(organizer).expect(200)).body as {
      year: number;
      date: string;
      timeZone: string;
    };
    expect(defaults.year).toBe(2031);
    const of2030 = (await t.http.get('/ceremonies/defaults?year=2030').set(organizer).expect(200)).body as {
      date: string;
      timeZone: string;
      locales: string[];
    };
    expect({ date: created.body.date, timeZone: created.body.timeZone, locales: created.body.locales }).toEqual({
      date: of2030.date,
      timeZone: of2030.timeZone,
      locales: of2030.locales,
    });
  });

  it('should refuse a year out of range or not a number with 400 naming the field', async () => {
    const organizer = await t.auth('organizer');
    for (const year of ['1800', 'soon', '2027.5']) {
      const response = await t.http.get(`/ceremonies/defaults?year=${year}`).set(organizer).expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('year');
    }
  });
});

describe('Drafts for the console, signed in by its session cookie', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should show a draft edition, its program and its calendar to the session cookie, and not to the public', async () => {
    const organizer = await t.auth('organizer');
    const draft = (
      await t.http
        .post('/ceremonies')
        .set(organizer)
        .send({ year: 2027, title: 'Khojaly Remembrance Day 2027', startTime: '10:00', venue: VENUE })
        .expect(201)
    ).body as { id: string };
    const session = await t.http
      .post('/auth/session')
      .send({ email: 'organizer@test.example', password: 'organizer-password-123' });
    const raw = session.headers['set-cookie'] as unknown as string[] | string;
    const cookie = [raw].flat()[0].split(';')[0];

    expect(
      (await t.http.get('/ceremonies').set('Cookie', cookie).expect(200)).body.items.map(
        (item: { id: string }) => item.id,
      ),
    ).toEqual([draft.id]);
    await t.http.get(`/ceremonies/${draft.id}`).set('Cookie', cookie).expect(200);
    await t.http.get(`/ceremonies/${draft.id}/program`).set('Cookie', cookie).expect(200);
    await t.http.get(`/ceremonies/${draft.id}/calendar.ics`).set('Cookie', cookie).expect(200);

    expect((await t.http.get('/ceremonies').expect(200)).body.items).toEqual([]);
    await t.http.get(`/ceremonies/${draft.id}`).expect(404);
    await t.http.get(`/ceremonies/${draft.id}`).set('Cookie', 'console_session=not.a.jwt').expect(404);
  });
});

describe('Errors of a text in three languages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("should name the language at fault (title.ru, venue.name.az) with its code, in the reader's language", async () => {
    const organizer = await t.auth('organizer');
    const response = await t.http
      .post('/ceremonies')
      .set(organizer)
      .set('Accept-Language', 'ru')
      .send({
        year: 2027,
        title: { en: 'Khojaly Remembrance Day 2027', ru: 'x'.repeat(301) },
        startTime: '10:00',
        venue: { name: { az: '  ', en: 'Memorial' }, address: { en: 'Baku', fr: 'Bakou' } },
      })
      .expect(400);
    const errors = response.body.errors as Array<{
      field: string;
      code: string;
      message: string;
      params?: Record<string, number>;
    }>;
    expect(errors.map((error) => [error.field, error.code])).toEqual(
      expect.arrayContaining([
        ['title.ru', 'too_long'],
        ['venue.name.az', 'required'],
        ['venue.address.fr', 'not_allowed'],
      ]),
    );
    expect(errors.find((error) => error.field === 'title.ru')).toMatchObject({ params: { max: 300 } });
    expect(errors.find((error) => error.field === 'title.ru')!.message).toMatch(/300/);
    expect(errors.find((error) => error.field === 'title.ru')!.message).not.toMatch(/too long/);
  });

  it('should still name the whole field when it is neither a text nor a map', async () => {
    const organizer = await t.auth('organizer');
    const response = await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({ year: 2027, title: 42, startTime: '10:00', venue: { name: {}, address: 'Baku' } })
      .expect(400);
    expect(response.body.errors.map((error: { field: string; code: string }) => [error.field, error.code])).toEqual(
      expect.arrayContaining([
        ['title', 'invalid_text'],
        ['venue.name', 'invalid_text'],
      ]),
    );
  });
});
