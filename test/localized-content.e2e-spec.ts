import { parseICS, VEvent } from 'node-ical';
import { DataSource } from 'typeorm';
import { FixedClock } from '../src/common/clock';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { typeOrmOptions } from '../src/database/typeorm-options';
import { createTestApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';

type Headers = { Authorization: string };
type Texts = { az?: string; en?: string; ru?: string };

const TITLE = {
  az: 'Xocalı soyqırımı qurbanlarının anım günü 2027',
  en: 'Khojaly Remembrance Day 2027',
  ru: 'День памяти жертв Ходжалинского геноцида 2027',
};
const VENUE = {
  name: {
    az: 'Xocalı soyqırımı memorialı',
    en: 'Khojaly Genocide Memorial',
    ru: 'Мемориал жертвам Ходжалинского геноцида',
  },
  address: { az: 'Xətai rayonu, Bakı', en: 'Khatai district, Baku', ru: 'Хатаинский район, Баку' },
};
// No Russian text: Russian readers fall back along the edition's languages (az first).
const DESCRIPTION = {
  az: 'Xocalı faciəsinin qurbanlarının xatirəsinə.',
  en: 'In memory of the victims of the Khojaly tragedy.',
};
const SILENCE = { az: 'Sükut dəqiqəsi', en: 'Minute of silence', ru: 'Минута молчания' };
const SPEAKER = { az: 'Xocalı sakinləri', en: 'Survivors of Khojaly' };
const CARNATIONS = { az: 'Qərənfillər', en: 'Carnations', ru: 'Гвоздики' };

interface CeremonyBody {
  id: string;
  title: string;
  description: string | null;
  venue: { name: string; address: string };
  translations: Record<string, Texts>;
}
interface ProgramBody {
  items: Array<{ title: string; speaker: string | null; translations: Record<string, Texts> }>;
}
interface RoleBody {
  id: string;
  name: string;
  description: string | null;
  translations: Record<string, Texts>;
}

function eventsOf(ics: string): VEvent[] {
  return Object.values(parseICS(ics)).filter((entry): entry is VEvent => entry?.type === 'VEVENT');
}

function summaryText(event: VEvent): string {
  const summary = event.summary as unknown;
  return typeof summary === 'string' ? summary : (summary as { val: string }).val;
}

describe('Texts in three languages', () => {
  let t: TestApp;
  let organizer: Headers;
  let ceremonyId: string;
  let roleId: string;

  beforeAll(async () => {
    t = await createTestApp({
      clock: new FixedClock(new Date('2027-01-10T08:00:00Z')),
      env: {
        COMMEMORATION_NAME: 'Khojaly Remembrance Day',
        COMMEMORATION_NAME_AZ: 'Xocalı soyqırımı qurbanlarının anım günü',
        COMMEMORATION_NAME_RU: 'День памяти жертв Ходжалинского геноцида',
      },
    });
    organizer = await t.auth('organizer');
    const created = await t.http
      .post('/ceremonies')
      .set(organizer)
      .send({ year: 2027, title: TITLE, startTime: '10:00', venue: VENUE, description: DESCRIPTION })
      .expect(201);
    ceremonyId = (created.body as CeremonyBody).id;
    await t.http
      .post(`/ceremonies/${ceremonyId}/program`)
      .set(organizer)
      .send({ startTime: '10:00', endTime: '10:15', title: SILENCE, speaker: SPEAKER })
      .expect(201);
    await t.http
      .post(`/ceremonies/${ceremonyId}/program`)
      .set(organizer)
      .send({ startTime: '10:15', endTime: '11:00', title: 'Wreath laying' })
      .expect(201);
    const role = await t.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(organizer)
      .send({
        name: CARNATIONS,
        description: { en: 'Hand out carnations at the entrance.' },
        capacity: 10,
        shiftStart: '09:00',
        shiftEnd: '12:00',
      })
      .expect(201);
    roleId = (role.body as RoleBody).id;
    await t.http.post(`/ceremonies/${ceremonyId}/publish`).set(organizer).expect(200);
  });
  afterAll(() => t.close());

  describe('reads', () => {
    it('should answer each text in the language of ?lang=, with the whole map under translations', async () => {
      for (const lang of ['az', 'en', 'ru'] as const) {
        const body = (await t.http.get(`/ceremonies/${ceremonyId}?lang=${lang}`).expect(200)).body as CeremonyBody;
        expect(body.title).toBe(TITLE[lang]);
        expect(body.venue).toMatchObject({ name: VENUE.name[lang], address: VENUE.address[lang] });
        expect(body.translations).toEqual({
          title: TITLE,
          description: DESCRIPTION,
          'venue.name': VENUE.name,
          'venue.address': VENUE.address,
        });
      }
    });

    it("should fall back along the edition's languages when a translation is missing, never to an empty text", async () => {
      const ru = (await t.http.get(`/ceremonies/${ceremonyId}?lang=ru`).expect(200)).body as CeremonyBody;
      expect(ru.description).toBe(DESCRIPTION.az);
      const program = (await t.http.get(`/ceremonies/${ceremonyId}/program?lang=ru`).expect(200)).body as ProgramBody;
      expect(program.items[0]).toMatchObject({ title: SILENCE.ru, speaker: SPEAKER.az });
      const roles = (await t.http.get(`/ceremonies/${ceremonyId}/volunteer-roles?lang=az`).expect(200))
        .body as RoleBody[];
      // The description exists in English only: every language reads it rather than nothing.
      expect(roles[0]).toMatchObject({ name: CARNATIONS.az, description: 'Hand out carnations at the entrance.' });
    });

    it('should use Accept-Language by q-value when there is no ?lang=, and let ?lang= win over it', async () => {
      const en = (
        await t.http.get(`/ceremonies/${ceremonyId}`).set('Accept-Language', 'fr-FR, en-GB;q=0.9, ru;q=0.5').expect(200)
      ).body as CeremonyBody;
      expect(en.title).toBe(TITLE.en);
      const ru = (await t.http.get(`/ceremonies/${ceremonyId}?lang=ru`).set('Accept-Language', 'en').expect(200))
        .body as CeremonyBody;
      expect(ru.title).toBe(TITLE.ru);
    });

    it("should answer the edition's first language for an unknown or missing language", async () => {
      const unknown = (await t.http.get(`/ceremonies/${ceremonyId}?lang=fr`).set('Accept-Language', 'de').expect(200))
        .body as CeremonyBody;
      expect(unknown.title).toBe(TITLE.az);
      const none = (await t.http.get('/ceremonies/current').expect(200)).body as CeremonyBody;
      expect(none.title).toBe(TITLE.az);
    });

    it("should answer the list, the current edition, the program and the roles in the reader's language", async () => {
      const list = (await t.http.get('/ceremonies?lang=en&limit=5').expect(200)).body as { items: CeremonyBody[] };
      expect(list.items[0].title).toBe(TITLE.en);
      const current = (await t.http.get('/ceremonies/current?lang=ru').expect(200)).body as CeremonyBody;
      expect(current.venue.name).toBe(VENUE.name.ru);
      const program = (await t.http.get(`/ceremonies/${ceremonyId}/program`).set('Accept-Language', 'en').expect(200))
        .body as ProgramBody;
      expect(program.items.map((item) => item.title)).toEqual([SILENCE.en, 'Wreath laying']);
      expect(program.items[1].translations.title).toEqual({
        az: 'Wreath laying',
        en: 'Wreath laying',
        ru: 'Wreath laying',
      });
      const roles = (await t.http.get(`/ceremonies/${ceremonyId}/volunteer-roles?lang=ru`).expect(200))
        .body as RoleBody[];
      expect(roles[0].name).toBe(CARNATIONS.ru);
      expect(roles[0].translations).toEqual({
        name: CARNATIONS,
        description: { en: 'Hand out carnations at the entrance.' },
      });
    });

    it("should give the calendar in the language of ?lang=, and in the edition's first language by default", async () => {
      const ru = await t.http.get(`/ceremonies/${ceremonyId}/calendar.ics?lang=ru`).expect(200);
      const ruEvents = eventsOf(ru.text);
      expect(summaryText(ruEvents[0])).toBe(TITLE.ru);
      expect(String(ruEvents[0].location)).toContain(VENUE.name.ru);
      expect(summaryText(ruEvents[1])).toBe(`${SILENCE.ru} (${SPEAKER.az})`);
      const byDefault = eventsOf((await t.http.get(`/ceremonies/${ceremonyId}/calendar.ics`).expect(200)).text);
      expect(summaryText(byDefault[0])).toBe(TITLE.az);
      const en = eventsOf((await t.http.get(`/ceremonies/${ceremonyId}/calendar.ics?lang=en`).expect(200)).text);
      expect(en.map(summaryText)).toEqual([TITLE.en, `${SILENCE.en} (${SPEAKER.en})`, 'Wreath laying']);
    });
  });

  describe('writes', () => {
    it('should refuse a bad map with 400 naming the field path, and write nothing', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ title: { az: 'Gün', ru: '  ' } }, 'title.ru must not be empty'],
        [{ title: { fr: 'Jour du souvenir' } }, 'title.fr is not a language'],
        [{ title: {} }, 'title must have a text in at least one language'],
        [{ title: { en: 'x'.repeat(301) } }, 'title.en must be at most 300 characters long'],
        [{ venue: { name: { en: '' }, address: 'Baku' } }, 'venue.name.en must not be empty'],
        [{ venue: { name: 42, address: 'Baku' } }, 'venue.name must be a string or an object'],
      ];
      for (const [body, message] of cases) {
        const response = await t.http.patch(`/ceremonies/${ceremonyId}`).set(organizer).send(body).expect(400);
        expect(JSON.stringify((response.body as { message: unknown }).message)).toContain(message);
      }
      const after = (await t.http.get(`/ceremonies/${ceremonyId}?lang=en`).expect(200)).body as CeremonyBody;
      expect(after.translations.title).toEqual(TITLE);
      expect(after.venue.name).toBe(VENUE.name.en);
    });

    it('should accept either form in PATCH: a map replaces a plain text, and a plain text reads the same in every language', async () => {
      const program = (await t.http.get(`/ceremonies/${ceremonyId}/program`).set(organizer).expect(200)).body as {
        items: Array<{ id: string }>;
      };
      const itemId = program.items[1].id;
      const patched = await t.http
        .patch(`/ceremonies/${ceremonyId}/program/${itemId}?lang=ru`)
        .set(organizer)
        .send({ title: { az: 'Əklillərin qoyulması', ru: 'Возложение венков' } })
        .expect(200);
      expect((patched.body as { title: string }).title).toBe('Возложение венков');
      const en = (await t.http.get(`/ceremonies/${ceremonyId}/program?lang=en`).expect(200)).body as ProgramBody;
      // No English text: English readers get the edition's first language.
      expect(en.items[1].title).toBe('Əklillərin qoyulması');

      const role = await t.http
        .patch(`/volunteer-roles/${roleId}?lang=ru`)
        .set(organizer)
        .send({ description: 'Гвоздики у входа' })
        .expect(200);
      expect((role.body as RoleBody).translations.description).toEqual({
        az: 'Гвоздики у входа',
        en: 'Гвоздики у входа',
        ru: 'Гвоздики у входа',
      });
      expect((role.body as RoleBody).name).toBe(CARNATIONS.ru);
    });

    it('should keep every language when the edition is copied to next year, with the year moved in each title', async () => {
      const copy = await t.http.post(`/ceremonies/${ceremonyId}/next-year`).set(organizer).expect(201);
      const id = (copy.body as CeremonyBody).id;
      const read = (await t.http.get(`/ceremonies/${id}?lang=ru`).set(organizer).expect(200)).body as CeremonyBody;
      expect(read.title).toBe('День памяти жертв Ходжалинского геноцида 2028');
      expect(read.translations.title).toEqual({
        az: TITLE.az.replace('2027', '2028'),
        en: 'Khojaly Remembrance Day 2028',
        ru: read.title,
      });
      expect(read.translations['venue.name']).toEqual(VENUE.name);
      const program = (await t.http.get(`/ceremonies/${id}/program?lang=ru`).set(organizer).expect(200))
        .body as ProgramBody;
      expect(program.items[0].title).toBe(SILENCE.ru);
      const roles = (await t.http.get(`/ceremonies/${id}/volunteer-roles?lang=en`).set(organizer).expect(200))
        .body as RoleBody[];
      expect(roles[0].name).toBe(CARNATIONS.en);
    });
  });

  describe('mail', () => {
    it("should name the commemoration in the subscriber's language in the opt-in mail and on its pages", async () => {
      await t.http.post('/subscriptions').send({ email: 'anna@example.org', locale: 'ru' }).expect(202);
      await t.app.get(JobsQueue).runner.settled();
      const mail = await t.smtp.waitForMailTo('anna@example.org', 30_000);
      expect(mail.parsed.subject).toBe('День памяти жертв Ходжалинского геноцида: подтвердите подписку');
      const token = /confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')?.[1];
      const page = await t.http.get(`/subscriptions/confirm?token=${token}`).expect(200);
      expect(page.text).toContain('День памяти жертв Ходжалинского геноцида');
      expect(page.text).not.toContain('Khojaly Remembrance Day');
    });

    it("should write the booking mail and its calendar in the visitor's language", async () => {
      const slot = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(organizer)
        .send({ startsAt: '2027-02-26T12:00:00+04:00', endsAt: '2027-02-26T12:30:00+04:00', capacity: 20 })
        .expect(201);
      const slotId = (slot.body as { id: string }).id;
      for (const [locale, email] of [
        ['ru', 'olga@example.org'],
        ['en', 'john@example.org'],
        ['az', 'leyla@example.org'],
      ] as const) {
        await t.http
          .post(`/visit-slots/${slotId}/bookings`)
          .send({ name: 'Visitor', email, partySize: 1, locale })
          .expect(201);
        const mail = await t.smtp.waitForMailTo(email, 30_000);
        expect(mail.parsed.subject).toContain(TITLE[locale]);
        expect(mail.parsed.text).toContain(VENUE.name[locale]);
        expect(mail.parsed.text).toContain(VENUE.address[locale]);
        const ics = mail.parsed.attachments.find((attachment) => attachment.filename === 'visit.ics');
        const [event] = eventsOf(ics?.content.toString('utf8') ?? '');
        expect(summaryText(event)).toBe(TITLE[locale]);
        expect(String(event.location)).toContain(VENUE.name[locale]);
      }
    });

    it("should show the manage page's booking in the language asked for, else the one it was booked in", async () => {
      const slot = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(organizer)
        .send({ startsAt: '2027-02-26T13:00:00+04:00', endsAt: '2027-02-26T13:30:00+04:00', capacity: 5 })
        .expect(201);
      const booked = await t.http
        .post(`/visit-slots/${(slot.body as { id: string }).id}/bookings`)
        .send({ name: 'Olga', email: 'olga-manage@example.org', partySize: 1, locale: 'ru' })
        .expect(201);
      const token = new URL((booked.body as { manageUrl: string }).manageUrl).searchParams.get('token');
      type Managed = { ceremony: { title: string; venueName: string; venueAddress: string } };
      const asBooked = (await t.http.get(`/bookings/manage/${token}`).expect(200)).body as Managed;
      expect(asBooked.ceremony).toMatchObject({
        title: TITLE.ru,
        venueName: VENUE.name.ru,
        venueAddress: VENUE.address.ru,
      });
      const inEnglish = (await t.http.get(`/bookings/manage/${token}?lang=en`).expect(200)).body as Managed;
      expect(inEnglish.ceremony).toMatchObject({ title: TITLE.en, venueName: VENUE.name.en });
      const byHeader = (await t.http.get(`/bookings/manage/${token}`).set('Accept-Language', 'az').expect(200))
        .body as Managed;
      expect(byHeader.ceremony.title).toBe(TITLE.az);
    });

    it("should write the volunteer mail with the edition and role names in the volunteer's language", async () => {
      await t.http
        .post('/volunteers')
        .send({
          ceremonyId,
          name: 'Aysel',
          email: 'aysel@example.org',
          roleIds: [roleId],
          locale: 'ru',
          consentReminders: false,
        })
        .expect(202);
      const mail = await t.smtp.waitForMailTo('aysel@example.org', 30_000);
      expect(mail.parsed.subject).toContain(TITLE.ru);
      expect(mail.parsed.text).toContain(`${CARNATIONS.ru}:`);
    });

    it("should name the roles of the roster (JSON and CSV) and of the volunteer's own view in the reader's language", async () => {
      await t.http
        .post('/volunteers')
        .send({
          ceremonyId,
          name: 'Kamran',
          email: 'kamran@example.org',
          roleIds: [roleId],
          locale: 'az',
          consentReminders: false,
        })
        .expect(202);
      const mail = await t.smtp.waitForMailTo('kamran@example.org', 30_000);
      const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
      await t.http.post('/volunteers/confirm').send({ token }).expect(200);

      type Roster = { items: Array<{ email: string; roles: Array<{ name: string }> }> };
      const roleNamesOf = (roster: Roster) =>
        roster.items.find((item) => item.email === 'kamran@example.org')!.roles.map((role) => role.name);
      const inRussian = (
        await t.http.get(`/ceremonies/${ceremonyId}/volunteers`).set(organizer).set('Accept-Language', 'ru').expect(200)
      ).body as Roster;
      expect(roleNamesOf(inRussian)).toEqual([CARNATIONS.ru]);
      const inEnglish = (
        await t.http
          .get(`/ceremonies/${ceremonyId}/volunteers?lang=en`)
          .set(organizer)
          .set('Accept-Language', 'ru')
          .expect(200)
      ).body as Roster;
      expect(roleNamesOf(inEnglish)).toEqual([CARNATIONS.en]);
      const csv = (
        await t.http
          .get(`/ceremonies/${ceremonyId}/volunteers?format=csv&status=confirmed`)
          .set(organizer)
          .set('Accept-Language', 'ru')
          .expect(200)
      ).text;
      const kamran = csv.split('\n').find((line) => line.includes('kamran@example.org'))!;
      expect(kamran).toContain(`${CARNATIONS.ru} 09:00-12:00`);
      expect(kamran).not.toContain(CARNATIONS.az);

      const own = (query: string) => t.http.get(`/volunteers/me${query}`).set('X-Manage-Token', token).expect(200);
      expect((await own('?lang=en')).body.roles).toMatchObject([{ name: CARNATIONS.en }]);
      expect((await own('?lang=ru')).body.roles).toMatchObject([{ name: CARNATIONS.ru }]);
      // No language asked for: the one the volunteer signed up in.
      expect((await own('')).body.roles).toMatchObject([{ name: CARNATIONS.az }]);
    });

    it("should name the role in the reader's language when a delete or a move into a full role is refused", async () => {
      // Kamran (previous test) holds a place in Carnations.
      const refusedDelete = await t.http
        .delete(`/volunteer-roles/${roleId}?lang=en`)
        .set(organizer)
        .set('Accept-Language', 'en')
        .expect(409);
      expect(refusedDelete.body.message).toContain(`"${CARNATIONS.en}"`);
      const full = await t.http
        .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
        .set(organizer)
        .send({
          name: { az: 'Tərcüməçilər', en: 'Interpreters', ru: 'Переводчики' },
          capacity: 1,
          shiftStart: '13:00',
          shiftEnd: '14:00',
        })
        .expect(201);
      type Roster = { items: Array<{ id: string; email: string }> };
      const people = (
        (await t.http.get(`/ceremonies/${ceremonyId}/volunteers?status=confirmed`).set(organizer).expect(200))
          .body as Roster
      ).items;
      const kamran = people.find((item) => item.email === 'kamran@example.org')!;
      await t.http
        .patch(`/volunteers/${kamran.id}`)
        .set(organizer)
        .send({ roleIds: [roleId, full.body.id] })
        .expect(200);
      await t.http
        .post('/volunteers')
        .send({
          ceremonyId,
          name: 'Nigar',
          email: 'nigar@example.org',
          roleIds: [roleId],
          locale: 'en',
          consentReminders: false,
        })
        .expect(202);
      const mail = await t.smtp.waitForMailTo('nigar@example.org', 30_000);
      const token = /[?&]token=([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
      const someone = (await t.http.post('/volunteers/confirm').send({ token }).expect(200)).body as { id: string };
      const refusedMove = await t.http
        .patch(`/volunteers/${someone.id}`)
        .set(organizer)
        .set('Accept-Language', 'ru')
        .send({ roleIds: [full.body.id] })
        .expect(409);
      expect(refusedMove.body.errors).toMatchObject([
        { field: 'roleIds', code: 'role_full', message: 'В роли «Переводчики» мест нет (занято 1 из 1)' },
      ]);
    });

    it("should fill {{ceremonyTitle}}, {{venue}} and {{commemorationName}} in the recipient's language", async () => {
      const admin = await t.auth('admin');
      const content = Object.fromEntries(
        (['az', 'en', 'ru'] as const).map((locale) => [
          locale,
          { subject: `{{ceremonyTitle}}`, text: `{{commemorationName}} | {{venue}}` },
        ]),
      );
      const created = await t.http
        .post('/mailings')
        .set(admin)
        .send({ name: 'Invitation', audience: { kind: 'subscribers', ceremonyId }, content })
        .expect(201);
      const id = (created.body as { id: string }).id;
      const expected = {
        az: 'Xocalı soyqırımı qurbanlarının anım günü',
        // No COMMEMORATION_NAME_EN: the single name is the fallback.
        en: 'Khojaly Remembrance Day',
        ru: 'День памяти жертв Ходжалинского геноцида',
      };
      for (const locale of ['az', 'en', 'ru'] as const) {
        const preview = (
          await t.http
            .post(`/mailings/${id}/preview`)
            .set(admin)
            .send({ sample: 'nobody@example.org', locale })
            .expect(200)
        ).body as { subject: string; text: string };
        expect(preview.subject).toBe(TITLE[locale]);
        expect(preview.text).toBe(`${expected[locale]} | ${VENUE.name[locale]}, ${VENUE.address[locale]}`);
      }
    });
  });
});

describe('Texts stored before they had languages', () => {
  let db: TestDatabase;
  let t: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await db.drop();
  });

  it('should read a row written the old way back unchanged, in every language, after the migration', async () => {
    const dataSource = await new DataSource(typeOrmOptions(db.url)).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      // Back to the schema before texts had languages (undoing the later migrations too), where rows are written the old way.
      const applied = async () =>
        ((await dataSource.query(`SELECT 1 FROM migrations WHERE name = 'LocalizedTexts1795866000000'`)) as unknown[])
          .length > 0;
      while (await applied()) await dataSource.undoLastMigration({ transaction: 'each' });
      const [ceremony] = (await dataSource.query(
        `INSERT INTO ceremonies (year, title, date, start_time, time_zone, venue_name, venue_address, description, status, published_at)
         VALUES (2026, 'Khojaly Remembrance Day 2026', '2026-02-26', '10:00', 'Asia/Baku', 'Khojaly Genocide Memorial', 'Khatai district, Baku', 'Old description', 'published', now())
         RETURNING id`,
      )) as Array<{ id: string }>;
      await dataSource.query(
        `INSERT INTO program_items (ceremony_id, start_time, title, speaker) VALUES ($1, '10:00', 'Minute of silence', 'Survivors')`,
        [ceremony.id],
      );
      await dataSource.query(
        `INSERT INTO volunteer_roles (ceremony_id, name, capacity, shift_start, shift_end) VALUES ($1, 'Greeters', 5, '09:00', '11:00')`,
        [ceremony.id],
      );
      expect((await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name)).toContain(
        'LocalizedTexts1795866000000',
      );
    } finally {
      await dataSource.destroy();
    }

    t = await createTestApp({ database: db, clock: new FixedClock(new Date('2026-01-10T08:00:00Z')) });
    for (const lang of ['az', 'en', 'ru']) {
      const ceremony = (await t.http.get(`/ceremonies/current?lang=${lang}`).expect(200)).body as CeremonyBody & {
        id: string;
      };
      expect(ceremony).toMatchObject({
        title: 'Khojaly Remembrance Day 2026',
        description: 'Old description',
        venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
      });
      expect(ceremony.translations.title).toEqual({
        az: 'Khojaly Remembrance Day 2026',
        en: 'Khojaly Remembrance Day 2026',
        ru: 'Khojaly Remembrance Day 2026',
      });
      const program = (await t.http.get(`/ceremonies/${ceremony.id}/program?lang=${lang}`).expect(200))
        .body as ProgramBody;
      expect(program.items).toMatchObject([{ title: 'Minute of silence', speaker: 'Survivors' }]);
      const roles = (await t.http.get(`/ceremonies/${ceremony.id}/volunteer-roles?lang=${lang}`).expect(200))
        .body as RoleBody[];
      expect(roles).toMatchObject([{ name: 'Greeters', description: null }]);
    }
  });
});
