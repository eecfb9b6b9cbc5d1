import { parseICS, VEvent } from 'node-ical';
import type { EntityManager } from 'typeorm';
import { CeremonyDependents } from '../src/ceremonies/ceremony-dependents';
import type { Ceremony } from '../src/ceremonies/ceremony.entity';
import { FixedClock } from '../src/common/clock';
import { createTestApp, TestApp } from './support/app';

type Headers = { Authorization: string };

const VENUE = { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' };
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

interface DependentCall {
  kind: 'copy' | 'reschedule';
  from: Pick<Ceremony, 'id' | 'year' | 'date' | 'startTime' | 'timeZone'>;
  to: Pick<Ceremony, 'id' | 'year' | 'date' | 'startTime' | 'timeZone'>;
  inTransaction: boolean;
}

/** A feature hanging off editions, as visits or reminders would register one. */
function registerTestDependent(t: TestApp) {
  const calls: DependentCall[] = [];
  const state = { fail: false };
  const pick = (ceremony: Ceremony) => ({
    id: ceremony.id,
    year: ceremony.year,
    date: ceremony.date,
    startTime: ceremony.startTime,
    timeZone: ceremony.timeZone,
  });
  const record = async (kind: DependentCall['kind'], from: Ceremony, to: Ceremony, manager: EntityManager) => {
    if (state.fail) throw new Error('dependent failed');
    calls.push({
      kind,
      from: pick(from),
      to: pick(to),
      inTransaction: manager.queryRunner?.isTransactionActive ?? false,
    });
    // The new edition is visible through the manager: the dependent runs inside the same transaction.
    const rows: Array<{ year: number }> = await manager.query('SELECT year FROM ceremonies WHERE id = $1', [to.id]);
    expect(rows).toEqual([{ year: to.year }]);
  };
  t.app.get(CeremonyDependents).register({
    name: 'test-dependent',
    copyToNextYear: (from, to, manager) => record('copy', from, to, manager),
    rescheduleAfterDateChange: (before, after, manager) => record('reschedule', before, after, manager),
  });
  return { calls, state };
}

async function createEdition(t: TestApp, headers: Headers, body: Record<string, unknown>) {
  const response = await t.http
    .post('/ceremonies')
    .set(headers)
    .send({ title: `Remembrance ${String(body.year)}`, startTime: '10:00', venue: VENUE, ...body });
  expect(response.status).toBe(201);
  return response.body as { id: string; year: number; date: string; status: string; title: string };
}

describe('Ceremonies', () => {
  let t: TestApp;
  let organizer: Headers;
  let admin: Headers;
  let dependent: ReturnType<typeof registerTestDependent>;
  const clock = new FixedClock(new Date('2027-01-10T08:00:00Z'));

  beforeAll(async () => {
    t = await createTestApp({ clock });
    dependent = registerTestDependent(t);
    organizer = await t.auth('organizer');
    admin = await t.auth('admin');
  });
  afterAll(() => t.close());

  describe('editions', () => {
    it('should default the date to 26 February of the year, the zone to Asia/Baku and offer all languages', async () => {
      const response = await t.http
        .post('/ceremonies')
        .set(organizer)
        .send({ year: 2027, title: 'Khojaly Remembrance Day 2027', startTime: '10:00', venue: VENUE })
        .expect(201);
      expect(response.body).toMatchObject({
        year: 2027,
        date: '2027-02-26',
        startTime: '10:00',
        timeZone: 'Asia/Baku',
        startsAt: '2027-02-26T10:00:00+04:00',
        venue: { ...VENUE, lat: null, lng: null },
        locales: ['az', 'en', 'ru'],
        status: 'draft',
        description: null,
      });
    });

    it('should refuse a second edition of the same year with 409', async () => {
      const response = await t.http
        .post('/ceremonies')
        .set(organizer)
        .send({ year: 2027, title: 'Again', startTime: '11:00', venue: VENUE })
        .expect(409);
      expect(response.body.message).toBe('An edition for 2027 already exists');
      const list = await t.http.get('/ceremonies').set(organizer).expect(200);
      expect(list.body.items.filter((item: { year: number }) => item.year === 2027)).toHaveLength(1);
    });

    it('should keep an explicit date, zone, coordinates and languages and give the start with its offset', async () => {
      const created = await t.http
        .post('/ceremonies')
        .set(organizer)
        .send({
          year: 2030,
          title: 'Remembrance 2030',
          date: '2030-02-25',
          startTime: '18:30',
          timeZone: 'America/New_York',
          venue: { ...VENUE, lat: 40.7, lng: -74 },
          locales: ['en'],
          description: 'Evening gathering.',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        date: '2030-02-25',
        timeZone: 'America/New_York',
        startsAt: '2030-02-25T18:30:00-05:00',
        venue: { lat: 40.7, lng: -74 },
        locales: ['en'],
      });
    });

    it('should answer bad input with 400 naming each field, and write nothing', async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ year: 2031, date: '2032-02-26' }, /^date 2032-02-26 must lie in 2031/],
        [{ year: 2031, date: '2031-02-30' }, /^date 2031-02-30 is not a calendar date/],
        [{ year: 2031, timeZone: 'Baku/Nowhere' }, /^timeZone/],
        [{ year: 2031, timeZone: '+04:00' }, /^timeZone/],
        [{ year: 2031, startTime: '25:00' }, /^startTime/],
        [{ year: 2031, venue: { ...VENUE, lat: 91, lng: 0 } }, /^venue\.lat/],
        [{ year: 2031, venue: { ...VENUE, lat: 40 } }, /^venue\.lat and venue\.lng/],
        [{ year: 2031, locales: [] }, /^locales/],
        [{ year: 2031, locales: ['az', 'fr'] }, /^locales/],
        [{ year: 1900 }, /^year/],
        [{ year: 2031, color: 'black' }, /color should not exist/],
      ];
      for (const [body, message] of cases) {
        const response = await t.http
          .post('/ceremonies')
          .set(organizer)
          .send({ title: 'T', startTime: '10:00', venue: VENUE, ...body });
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
        expect(response.body.message).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      }
      const list = await t.http.get('/ceremonies').set(organizer).expect(200);
      expect(list.body.items.map((item: { year: number }) => item.year)).not.toContain(2031);
    });

    it('should let only staff create editions', async () => {
      await t.http.post('/ceremonies').send({ year: 2032, title: 'T', startTime: '10:00', venue: VENUE }).expect(401);
    });
  });

  describe('visibility', () => {
    it('should hide drafts from the public in the list and by id, and show them to staff', async () => {
      const draft = await createEdition(t, organizer, { year: 2033 });
      const publicList = await t.http.get('/ceremonies').expect(200);
      expect(publicList.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.id);
      const publicGet = await t.http.get(`/ceremonies/${draft.id}`).expect(404);
      const missing = await t.http.get(`/ceremonies/${MISSING_ID}`).expect(404);
      expect(publicGet.body).toEqual(missing.body);

      const staffList = await t.http.get('/ceremonies').set(organizer).expect(200);
      expect(staffList.body.items.map((item: { id: string }) => item.id)).toContain(draft.id);
      await t.http.get(`/ceremonies/${draft.id}`).set(organizer).expect(200);
      // An invalid token on a public route is simply the public view.
      await t.http.get(`/ceremonies/${draft.id}`).set('Authorization', 'Bearer not-a-token').expect(404);
    });

    it('should show a published edition to the public and hide it again when unpublished', async () => {
      const edition = await createEdition(t, organizer, { year: 2034 });
      const published = await t.http.post(`/ceremonies/${edition.id}/publish`).set(organizer).expect(200);
      expect(published.body.status).toBe('published');
      expect(published.body.publishedAt).toBe('2027-01-10T08:00:00.000Z');
      await t.http.get(`/ceremonies/${edition.id}`).expect(200);
      const publicList = await t.http.get('/ceremonies').expect(200);
      expect(publicList.body.items.every((item: { status: string }) => item.status === 'published')).toBe(true);
      expect(publicList.body.items.map((item: { id: string }) => item.id)).toContain(edition.id);

      await t.http.post(`/ceremonies/${edition.id}/unpublish`).set(organizer).expect(200);
      await t.http.get(`/ceremonies/${edition.id}`).expect(404);
      await t.http.post(`/ceremonies/${edition.id}/publish`).expect(401);
    });
  });

  describe('editing', () => {
    it('should apply a partial edit, validating it like a creation', async () => {
      const edition = await createEdition(t, organizer, { year: 2035 });
      const updated = await t.http
        .patch(`/ceremonies/${edition.id}`)
        .set(organizer)
        .send({
          title: 'Remembrance 2035, Baku',
          venue: { name: 'Alley of Honour', address: 'Baku', lat: 40.38, lng: 49.83 },
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        title: 'Remembrance 2035, Baku',
        date: '2035-02-26',
        venue: { name: 'Alley of Honour', lat: 40.38, lng: 49.83 },
      });

      const wrongYear = await t.http
        .patch(`/ceremonies/${edition.id}`)
        .set(organizer)
        .send({ date: '2036-02-26' })
        .expect(400);
      expect(wrongYear.body.message).toEqual([expect.stringMatching(/^date 2036-02-26 must lie in 2035/)]);
      await t.http.patch(`/ceremonies/${edition.id}`).set(organizer).send({ title: null }).expect(400);
      await t.http.patch(`/ceremonies/${edition.id}`).set(organizer).send({ timeZone: 'Nowhere' }).expect(400);
      const taken = await t.http
        .patch(`/ceremonies/${edition.id}`)
        .set(organizer)
        .send({ year: 2027, date: '2027-03-01' })
        .expect(409);
      expect(taken.body.message).toBe('An edition for 2027 already exists');
      const after = await t.http.get(`/ceremonies/${edition.id}`).set(organizer).expect(200);
      expect(after.body).toMatchObject({ year: 2035, date: '2035-02-26', title: 'Remembrance 2035, Baku' });
      await t.http.patch(`/ceremonies/${MISSING_ID}`).set(organizer).send({ title: 'X' }).expect(404);
    });

    it('should reschedule dependent features when the date or start moves, and not otherwise', async () => {
      const edition = await createEdition(t, organizer, { year: 2036 });
      const callsFor = () => dependent.calls.filter((call) => call.kind === 'reschedule' && call.to.id === edition.id);

      await t.http
        .patch(`/ceremonies/${edition.id}`)
        .set(organizer)
        .send({ title: 'Renamed', description: 'Text' })
        .expect(200);
      expect(callsFor()).toHaveLength(0);

      await t.http
        .patch(`/ceremonies/${edition.id}`)
        .set(organizer)
        .send({ date: '2036-02-25', startTime: '11:00' })
        .expect(200);
      expect(callsFor()).toEqual([
        {
          kind: 'reschedule',
          from: { id: edition.id, year: 2036, date: '2036-02-26', startTime: '10:00', timeZone: 'Asia/Baku' },
          to: { id: edition.id, year: 2036, date: '2036-02-25', startTime: '11:00', timeZone: 'Asia/Baku' },
          inTransaction: true,
        },
      ]);

      const moved = await t.http
        .patch(`/ceremonies/${edition.id}`)
        .set(organizer)
        .send({ timeZone: 'europe/istanbul' })
        .expect(200);
      expect(moved.body).toMatchObject({ timeZone: 'Europe/Istanbul', startsAt: '2036-02-25T11:00:00+03:00' });
      expect(callsFor()).toHaveLength(2);
    });

    it('should roll the edit back when a dependent fails to reschedule', async () => {
      const edition = await createEdition(t, organizer, { year: 2037 });
      dependent.state.fail = true;
      try {
        await t.http.patch(`/ceremonies/${edition.id}`).set(organizer).send({ date: '2037-02-27' }).expect(500);
      } finally {
        dependent.state.fail = false;
      }
      const after = await t.http.get(`/ceremonies/${edition.id}`).set(organizer).expect(200);
      expect(after.body.date).toBe('2037-02-26');
    });
  });

  describe('program', () => {
    let editionId: string;

    beforeAll(async () => {
      editionId = (await createEdition(t, organizer, { year: 2038 })).id;
    });

    const add = (body: Record<string, unknown>) =>
      t.http.post(`/ceremonies/${editionId}/program`).set(organizer).send(body);

    it('should return items in time order: start, then end, then creation', async () => {
      await add({ startTime: '11:00', endTime: '11:30', title: 'Laying of flowers' }).expect(201);
      await add({ startTime: '10:00', title: 'Gathering at the memorial' }).expect(201);
      await add({
        startTime: '10:00',
        endTime: '10:20',
        title: 'Opening words',
        speaker: 'Chair of the organizing committee',
      }).expect(201);
      await add({ startTime: '10:00', endTime: '10:20', title: 'Minute of silence' }).expect(201);
      const program = await t.http.get(`/ceremonies/${editionId}/program`).set(organizer).expect(200);
      expect(program.body.total).toBe(4);
      expect(program.body.items.map((item: { title: string }) => item.title)).toEqual([
        'Opening words',
        'Minute of silence',
        'Gathering at the memorial',
        'Laying of flowers',
      ]);
      expect(program.body.items[0]).toMatchObject({
        startTime: '10:00',
        endTime: '10:20',
        startsAt: '2038-02-26T10:00:00+04:00',
        speaker: 'Chair of the organizing committee',
      });
    });

    it('should refuse an end before or equal to the start with a reason', async () => {
      const before = await add({ startTime: '10:00', endTime: '09:30', title: 'Backwards' }).expect(400);
      expect(before.body.message).toEqual([expect.stringMatching(/^endTime 09:30 must be later than startTime 10:00/)]);
      const equal = await add({ startTime: '10:00', endTime: '10:00', title: 'Empty' }).expect(400);
      expect(equal.body.message).toEqual([expect.stringMatching(/^endTime 10:00 must be later than startTime 10:00/)]);
      const malformed = await add({ startTime: '9:00', title: 'Malformed' }).expect(400);
      expect(malformed.body.message).toEqual([expect.stringMatching(/^startTime/)]);
      await add({ startTime: '10:00' }).expect(400);
    });

    it('should convert an ISO instant to local time and refuse one off the ceremony date in its zone', async () => {
      const converted = await add({
        startTime: '2038-02-26T08:00:00Z',
        endTime: '2038-02-26T12:30:00+04:00',
        title: 'Prayer',
      }).expect(201);
      expect(converted.body).toMatchObject({ startTime: '12:00', endTime: '12:30' });
      // 20:30 UTC on the 26th is already the 27th in Baku.
      const offDay = await add({ startTime: '2038-02-26T20:30:00Z', title: 'Too late' }).expect(400);
      expect(offDay.body.message).toEqual([
        expect.stringContaining("is on 2038-02-27 in Asia/Baku, not on the ceremony's date 2038-02-26"),
      ]);
      await add({ startTime: '2038-02-26T10:00:00', title: 'No offset' }).expect(400);
    });

    it('should reorder an edited item, validate the edit and delete items', async () => {
      const program = await t.http.get(`/ceremonies/${editionId}/program`).set(organizer).expect(200);
      const flowers = program.body.items.find((item: { title: string }) => item.title === 'Laying of flowers');
      const moved = await t.http
        .patch(`/ceremonies/${editionId}/program/${flowers.id}`)
        .set(organizer)
        .send({ startTime: '09:00', endTime: '09:45' })
        .expect(200);
      expect(moved.body).toMatchObject({ startTime: '09:00', endTime: '09:45', title: 'Laying of flowers' });
      const reordered = await t.http.get(`/ceremonies/${editionId}/program`).set(organizer).expect(200);
      expect(reordered.body.items[0].title).toBe('Laying of flowers');

      const invalid = await t.http
        .patch(`/ceremonies/${editionId}/program/${flowers.id}`)
        .set(organizer)
        .send({ startTime: '10:00' })
        .expect(400);
      expect(invalid.body.message).toEqual([
        expect.stringMatching(/^endTime 09:45 must be later than startTime 10:00/),
      ]);

      const other = await createEdition(t, organizer, { year: 2039 });
      await t.http
        .patch(`/ceremonies/${other.id}/program/${flowers.id}`)
        .set(organizer)
        .send({ title: 'Elsewhere' })
        .expect(404);
      await t.http.delete(`/ceremonies/${editionId}/program/${flowers.id}`).set(organizer).expect(204);
      await t.http.delete(`/ceremonies/${editionId}/program/${flowers.id}`).set(organizer).expect(404);
      const remaining = await t.http.get(`/ceremonies/${editionId}/program`).set(organizer).expect(200);
      expect(remaining.body.items.map((item: { id: string }) => item.id)).not.toContain(flowers.id);
    });

    it('should show the program of a published edition only to the public', async () => {
      await t.http.get(`/ceremonies/${editionId}/program`).expect(404);
      await t.http.post(`/ceremonies/${editionId}/publish`).set(organizer).expect(200);
      const program = await t.http.get(`/ceremonies/${editionId}/program`).expect(200);
      expect(program.body.total).toBeGreaterThan(0);
      await add({ startTime: '13:00', title: 'Public write' }).expect(201);
      await t.http
        .post(`/ceremonies/${editionId}/program`)
        .send({ startTime: '13:00', title: 'Anonymous' })
        .expect(401);
    });
  });

  describe('calendar', () => {
    let edition: { id: string };

    beforeAll(async () => {
      edition = await createEdition(t, organizer, {
        year: 2040,
        title: 'Khojaly Remembrance Day 2040',
        venue: { ...VENUE, lat: 40.3953, lng: 49.8822 },
        description: 'Laying of flowers at the memorial.',
      });
      await t.http
        .post(`/ceremonies/${edition.id}/program`)
        .set(organizer)
        .send({ startTime: '10:00', endTime: '10:15', title: 'Minute of silence' })
        .expect(201);
      await t.http
        .post(`/ceremonies/${edition.id}/program`)
        .set(organizer)
        .send({ startTime: '10:15', endTime: '12:30', title: 'Laying of flowers', speaker: 'Guests' })
        .expect(201);
    });

    const fetchCalendar = async (id: string) => {
      const response = await t.http
        .get(`/ceremonies/${id}/calendar.ics`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done(null, text));
        });
      return response;
    };
    const eventsOf = (text: string) =>
      Object.values(parseICS(text)).filter(
        (component): component is VEvent => (component as { type?: string } | undefined)?.type === 'VEVENT',
      );

    it('should not serve the calendar of a draft to the public', async () => {
      const response = await fetchCalendar(edition.id);
      expect(response.status).toBe(404);
    });

    it('should give a valid calendar whose ceremony starts at the local start in its zone', async () => {
      await t.http.post(`/ceremonies/${edition.id}/publish`).set(organizer).expect(200);
      const response = await fetchCalendar(edition.id);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const text = response.body as string;
      expect(text.startsWith('BEGIN:VCALENDAR')).toBe(true);

      const events = eventsOf(text);
      expect(events).toHaveLength(3);
      const ceremony = events.find((event) => event.uid === `ceremony-${edition.id}@commemoration.test`);
      expect(ceremony).toBeDefined();
      // 10:00 in Baku (UTC+4) is 06:00 UTC.
      expect(new Date(ceremony!.start).toISOString()).toBe('2040-02-26T06:00:00.000Z');
      // The program's last item ends at 12:30 local.
      expect(new Date(ceremony!.end as Date).toISOString()).toBe('2040-02-26T08:30:00.000Z');
      expect(String(ceremony!.summary)).toBe('Khojaly Remembrance Day 2040');
      expect(String(ceremony!.location)).toContain(VENUE.name);
      expect(ceremony!.geo).toEqual({ lat: 40.3953, lon: 49.8822 });
      expect(String(ceremony!.description)).toBe('Laying of flowers at the memorial.');

      const items = events.filter((event) => event.uid.startsWith('program-'));
      expect(items.map((event) => new Date(event.start).toISOString()).sort()).toEqual([
        '2040-02-26T06:00:00.000Z',
        '2040-02-26T06:15:00.000Z',
      ]);
      expect(items.every((event) => event.uid.endsWith('@commemoration.test'))).toBe(true);
    });

    it('should keep every UID when the program changes, so calendar apps update the events', async () => {
      // As if the calendar had been fetched an hour ago (DTSTAMP has whole seconds only).
      await t.db.query(
        `UPDATE ceremonies SET created_at = created_at - interval '1 hour', updated_at = updated_at - interval '1 hour' WHERE id = $1`,
        [edition.id],
      );
      await t.db.query(
        `UPDATE program_items SET created_at = created_at - interval '1 hour', updated_at = updated_at - interval '1 hour' WHERE ceremony_id = $1`,
        [edition.id],
      );
      const before = eventsOf((await fetchCalendar(edition.id)).body as string);
      const program = await t.http.get(`/ceremonies/${edition.id}/program`).expect(200);
      await t.http
        .patch(`/ceremonies/${edition.id}/program/${program.body.items[1].id}`)
        .set(organizer)
        .send({ startTime: '10:20', endTime: '13:00' })
        .expect(200);
      const after = eventsOf((await fetchCalendar(edition.id)).body as string);
      expect(after.map((event) => event.uid).sort()).toEqual(before.map((event) => event.uid).sort());
      const moved = after.find((event) => event.uid === `program-${program.body.items[1].id}@commemoration.test`);
      expect(new Date(moved!.start).toISOString()).toBe('2040-02-26T06:20:00.000Z');
      const ceremony = after.find((event) => event.uid.startsWith('ceremony-'));
      expect(new Date(ceremony!.end as Date).toISOString()).toBe('2040-02-26T09:00:00.000Z');
      const stampOf = (events: VEvent[]) =>
        new Date(events.find((event) => event.uid.startsWith('ceremony-'))!.dtstamp).getTime();
      expect(stampOf(after)).toBeGreaterThan(stampOf(before));
      const sequenceOf = (events: VEvent[], uid: string) => Number(events.find((event) => event.uid === uid)!.sequence);
      expect(sequenceOf(after, moved!.uid)).toBeGreaterThan(sequenceOf(before, moved!.uid));
      expect(sequenceOf(after, ceremony!.uid)).toBeGreaterThan(sequenceOf(before, ceremony!.uid));
    });

    it('should give an edition without a program a two-hour event without GEO when the coordinates are unknown', async () => {
      const bare = await createEdition(t, organizer, { year: 2041, timeZone: 'America/New_York', startTime: '18:00' });
      await t.http.post(`/ceremonies/${bare.id}/publish`).set(organizer).expect(200);
      const events = eventsOf((await fetchCalendar(bare.id)).body as string);
      expect(events).toHaveLength(1);
      expect(new Date(events[0].start).toISOString()).toBe('2041-02-26T23:00:00.000Z');
      expect(new Date(events[0].end as Date).toISOString()).toBe('2041-02-27T01:00:00.000Z');
      expect(events[0].geo).toBeUndefined();
    });
  });

  describe('next year', () => {
    it('should copy the edition and its program into next year as a draft and call dependent features', async () => {
      const source = await createEdition(t, organizer, {
        year: 2042,
        title: 'Khojaly Remembrance Day 2042',
        startTime: '09:30',
        venue: { ...VENUE, lat: 40.3953, lng: 49.8822 },
        description: 'Program of the day.',
        locales: ['az', 'en'],
      });
      await t.http
        .post(`/ceremonies/${source.id}/program`)
        .set(organizer)
        .send({ startTime: '09:30', endTime: '09:45', title: 'Minute of silence' })
        .expect(201);
      await t.http
        .post(`/ceremonies/${source.id}/program`)
        .set(organizer)
        .send({ startTime: '10:00', title: 'Laying of flowers', speaker: 'Everyone' })
        .expect(201);
      await t.http.post(`/ceremonies/${source.id}/publish`).set(organizer).expect(200);

      const copy = await t.http.post(`/ceremonies/${source.id}/next-year`).set(organizer).expect(201);
      expect(copy.body).toMatchObject({
        year: 2043,
        title: 'Khojaly Remembrance Day 2043',
        date: '2043-02-26',
        startTime: '09:30',
        timeZone: 'Asia/Baku',
        startsAt: '2043-02-26T09:30:00+04:00',
        venue: { ...VENUE, lat: 40.3953, lng: 49.8822 },
        description: 'Program of the day.',
        locales: ['az', 'en'],
        status: 'draft',
        publishedAt: null,
      });
      expect(copy.body.id).not.toBe(source.id);
      const program = await t.http.get(`/ceremonies/${copy.body.id}/program`).set(organizer).expect(200);
      expect(
        program.body.items.map((item: Record<string, unknown>) => [
          item.startTime,
          item.endTime,
          item.title,
          item.speaker,
        ]),
      ).toEqual([
        ['09:30', '09:45', 'Minute of silence', null],
        ['10:00', null, 'Laying of flowers', 'Everyone'],
      ]);
      expect(program.body.items[0].startsAt).toBe('2043-02-26T09:30:00+04:00');
      expect(dependent.calls.filter((call) => call.kind === 'copy' && call.from.id === source.id)).toEqual([
        {
          kind: 'copy',
          from: expect.objectContaining({ year: 2042 }),
          to: expect.objectContaining({ id: copy.body.id, year: 2043, date: '2043-02-26' }),
          inTransaction: true,
        },
      ]);

      const again = await t.http.post(`/ceremonies/${source.id}/next-year`).set(organizer).expect(409);
      expect(again.body.message).toBe('An edition for 2043 already exists');
    });

    it('should write nothing when a dependent feature fails to copy', async () => {
      const source = await createEdition(t, organizer, { year: 2044 });
      await t.http
        .post(`/ceremonies/${source.id}/program`)
        .set(organizer)
        .send({ startTime: '10:00', title: 'Minute of silence' })
        .expect(201);
      dependent.state.fail = true;
      try {
        await t.http.post(`/ceremonies/${source.id}/next-year`).set(organizer).expect(500);
      } finally {
        dependent.state.fail = false;
      }
      const [{ count }] = await t.db.query<{ count: string }>('SELECT count(*) FROM ceremonies WHERE year = 2045');
      expect(count).toBe('0');
      await t.http.post(`/ceremonies/${source.id}/next-year`).set(organizer).expect(201);
    });

    it('should keep a date that was not on the anniversary on the same month and day', async () => {
      const source = await createEdition(t, organizer, { year: 2046, date: '2046-03-01', title: 'Spring gathering' });
      const copy = await t.http.post(`/ceremonies/${source.id}/next-year`).set(organizer).expect(201);
      expect(copy.body).toMatchObject({ year: 2047, date: '2047-03-01', title: 'Spring gathering' });
    });
  });

  describe('audit', () => {
    it('should record every staff change with before and after, readable by admins', async () => {
      const edition = await createEdition(t, organizer, { year: 2048 });
      await t.http.patch(`/ceremonies/${edition.id}`).set(organizer).send({ startTime: '11:00' }).expect(200);
      await t.http.post(`/ceremonies/${edition.id}/publish`).set(organizer).expect(200);
      await t.http.post(`/ceremonies/${edition.id}/publish`).set(organizer).expect(200);
      await t.http.post(`/ceremonies/${edition.id}/unpublish`).set(organizer).expect(200);
      const item = await t.http
        .post(`/ceremonies/${edition.id}/program`)
        .set(organizer)
        .send({ startTime: '11:00', title: 'Minute of silence' })
        .expect(201);
      await t.http
        .patch(`/ceremonies/${edition.id}/program/${item.body.id}`)
        .set(organizer)
        .send({ endTime: '11:05' })
        .expect(200);
      await t.http.delete(`/ceremonies/${edition.id}/program/${item.body.id}`).set(organizer).expect(204);
      const copy = await t.http.post(`/ceremonies/${edition.id}/next-year`).set(organizer).expect(201);

      const ceremonyLog = await t.http
        .get('/audit-log')
        .query({ entityType: 'ceremony', entityId: edition.id })
        .set(admin)
        .expect(200);
      expect(ceremonyLog.body.items.map((entry: { action: string }) => entry.action).reverse()).toEqual([
        'ceremony.create',
        'ceremony.update',
        'ceremony.publish',
        'ceremony.unpublish',
      ]);
      const update = ceremonyLog.body.items.find((entry: { action: string }) => entry.action === 'ceremony.update');
      expect(update).toMatchObject({
        actorEmail: 'organizer@test.example',
        before: { startTime: '10:00' },
        after: { startTime: '11:00', startsAt: '2048-02-26T11:00:00+04:00' },
      });

      const itemLog = await t.http
        .get('/audit-log')
        .query({ entityType: 'program_item', entityId: item.body.id })
        .set(admin)
        .expect(200);
      expect(itemLog.body.items.map((entry: { action: string }) => entry.action).reverse()).toEqual([
        'program_item.create',
        'program_item.update',
        'program_item.delete',
      ]);
      expect(itemLog.body.items[1]).toMatchObject({
        before: { endTime: null },
        after: { endTime: '11:05', ceremonyId: edition.id },
      });

      const copyLog = await t.http
        .get('/audit-log')
        .query({ entityType: 'ceremony', entityId: copy.body.id })
        .set(admin)
        .expect(200);
      expect(copyLog.body.items).toEqual([
        expect.objectContaining({
          action: 'ceremony.copy_to_next_year',
          before: { copiedFrom: edition.id, programItems: 0 },
          after: expect.objectContaining({ year: 2049 }),
        }),
      ]);

      await t.http.get('/audit-log').set(organizer).expect(403);
    });
  });
});

describe('Current ceremony', () => {
  let t: TestApp;
  let organizer: Headers;
  const clock = new FixedClock(new Date('2027-01-10T08:00:00Z'));
  const editions: Record<number, string> = {};

  const currentYear = async () => {
    const response = await t.http.get('/ceremonies/current').expect(200);
    return (response.body as { year: number }).year;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  it('should answer 404 while nothing is published', async () => {
    editions[2027] = (await createEdition(t, organizer, { year: 2027 })).id;
    const response = await t.http.get('/ceremonies/current').expect(404);
    expect(response.body.statusCode).toBe(404);
  });

  it('should switch to the next edition at midnight in Baku, while UTC is still on the day itself', async () => {
    editions[2028] = (await createEdition(t, organizer, { year: 2028 })).id;
    await t.http.post(`/ceremonies/${editions[2027]}/publish`).set(organizer).expect(200);
    await t.http.post(`/ceremonies/${editions[2028]}/publish`).set(organizer).expect(200);

    clock.set('2027-02-25T20:30:00Z'); // 00:30 on 26 February in Baku, still the 25th in UTC
    expect(await currentYear()).toBe(2027);
    clock.set('2027-02-26T19:30:00Z'); // 23:30 on the day in Baku
    expect(await currentYear()).toBe(2027);
    clock.set('2027-02-26T20:30:00Z'); // 00:30 on 27 February in Baku, still the 26th in UTC
    expect(await currentYear()).toBe(2028);
  });

  it('should fall back to the latest published edition around a year boundary when the next is a draft', async () => {
    await t.http.post(`/ceremonies/${editions[2028]}/unpublish`).set(organizer).expect(200);
    clock.set('2027-12-31T20:30:00Z'); // already 1 January 2028 in Baku
    expect(await currentYear()).toBe(2027);
    await t.http.post(`/ceremonies/${editions[2028]}/publish`).set(organizer).expect(200);
    expect(await currentYear()).toBe(2028);
    clock.set('2028-03-01T00:00:00Z');
    expect(await currentYear()).toBe(2028);
  });

  it("should judge each edition's day in its own time zone", async () => {
    const newYork = await createEdition(t, organizer, { year: 2029, timeZone: 'America/New_York' });
    await t.http.post(`/ceremonies/${newYork.id}/publish`).set(organizer).expect(200);
    clock.set('2029-02-27T03:00:00Z'); // 22:00 on 26 February in New York, the 27th in Baku and UTC
    expect(await currentYear()).toBe(2029);
    clock.set('2029-02-27T05:30:00Z'); // 00:30 on the 27th in New York
    expect(await currentYear()).toBe(2029); // no later edition: the latest published
    const later = await createEdition(t, organizer, { year: 2030 });
    await t.http.post(`/ceremonies/${later.id}/publish`).set(organizer).expect(200);
    expect(await currentYear()).toBe(2030);
  });
});

describe('Commemoration date from configuration', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { COMMEMORATION_DATE: '02-29', DEFAULT_TIME_ZONE: 'Europe/Istanbul' } });
  });
  afterAll(() => t.close());

  it('should default a new edition to the configured day, falling back to 28 February in common years', async () => {
    const organizer = await t.auth('organizer');
    const common = await createEdition(t, organizer, { year: 2027 });
    expect(common).toMatchObject({ date: '2027-02-28', timeZone: 'Europe/Istanbul' });
    const copy = await t.http.post(`/ceremonies/${common.id}/next-year`).set(organizer).expect(201);
    expect(copy.body).toMatchObject({ year: 2028, date: '2028-02-29' });
  });
});
