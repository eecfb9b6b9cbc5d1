import { FixedClock } from '../src/common/clock';
import { createTestApp, TestApp } from './support/app';
import { CeremonyFixture, insertCeremony } from './support/factories';

interface FieldError {
  field: string | null;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}
interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
  errors: FieldError[];
  fits?: Array<{ slotId: string; startsAt: string; remaining: number }>;
}

const NOW = new Date('2027-01-15T08:00:00Z');
const VENUE = { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' };

describe("Errors in a person's language", () => {
  let t: TestApp;
  let ceremony: CeremonyFixture;
  let organizer: { Authorization: string };
  let hour = 0;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW) });
    ceremony = await insertCeremony(t.db, { year: 2027 });
    organizer = await t.auth('organizer');
  });
  afterAll(() => t.close());

  const email = () => `visitor-${(counter += 1)}@example.org`;

  async function createSlot(capacity: number, startsAt?: Date): Promise<{ id: string; startsAt: string }> {
    hour += 1;
    const start = startsAt ?? new Date(Date.UTC(2027, 1, 26, 0, 0) + hour * 3_600_000);
    const response = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(organizer)
      .send({ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(), capacity })
      .expect(201);
    return response.body as { id: string; startsAt: string };
  }

  function book(slotId: string, body: Record<string, unknown>, language?: string) {
    const request = t.http.post(`/visit-slots/${slotId}/bookings`);
    if (language) void request.set('Accept-Language', language);
    return request.send({ name: 'Leyla Aliyeva', email: email(), partySize: 1, ...body });
  }

  const codes = (body: ErrorBody) => body.errors.map((entry) => [entry.field, entry.code]);

  describe('validation errors', () => {
    it('should name each field with its code and keep the English message list', async () => {
      const slot = await createSlot(10);
      const response = await book(slot.id, {
        name: 'x'.repeat(201),
        email: 'not-an-email',
        partySize: 0,
        colour: 'red',
      }).expect(400);
      const body = response.body as ErrorBody;
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(body.message).toEqual(
        expect.arrayContaining([
          'name must be shorter than or equal to 200 characters',
          'property colour should not exist',
        ]),
      );
      expect(codes(body)).toEqual(
        expect.arrayContaining([
          ['name', 'too_long'],
          ['email', 'invalid_email'],
          ['partySize', 'out_of_range'],
          ['colour', 'not_allowed'],
        ]),
      );
      expect(body.errors.find((entry) => entry.field === 'name')).toEqual({
        field: 'name',
        code: 'too_long',
        message: 'is too long (at most 200 characters)',
        params: { max: 200 },
      });
    });

    it('should say required for a missing or empty field, once per field', async () => {
      const slot = await createSlot(10);
      const response = await t.http
        .post(`/visit-slots/${slot.id}/bookings`)
        .send({ name: '   ', partySize: 1 })
        .expect(400);
      const body = response.body as ErrorBody;
      expect(codes(body)).toEqual(
        expect.arrayContaining([
          ['name', 'required'],
          ['email', 'required'],
        ]),
      );
      expect(body.errors.filter((entry) => entry.field === 'name')).toHaveLength(1);
    });

    it('should refuse control characters in a name with invalid_characters', async () => {
      const slot = await createSlot(10);
      const response = await book(slot.id, { name: 'Leyla\u0007Aliyeva' }).expect(400);
      expect(codes(response.body as ErrorBody)).toEqual([['name', 'invalid_characters']]);
    });

    it('should give nested fields their JSON path (venue.name, venue.lat)', async () => {
      const response = await t.http
        .post('/ceremonies')
        .set(organizer)
        .send({
          year: 2031,
          title: 'Remembrance 2031',
          startTime: '25:00',
          venue: { name: 42, address: 'Baku', lat: 500 },
        })
        .expect(400);
      expect(codes(response.body as ErrorBody)).toEqual(
        expect.arrayContaining([
          ['venue.name', 'invalid_text'],
          ['venue.lat', 'out_of_range'],
          ['startTime', 'invalid_time'],
        ]),
      );
    });

    it('should give each refused entry of a list its index (roleIds[2])', async () => {
      const response = await t.http
        .post('/volunteers')
        .send({
          ceremonyId: ceremony.id,
          name: 'Leyla',
          email: email(),
          consentReminders: false,
          roleIds: ['0b3f5ef4-7d5e-4c36-9d1e-7c8f6a2b9d10', '1b3f5ef4-7d5e-4c36-9d1e-7c8f6a2b9d10', 'nope'],
        })
        .expect(400);
      expect(codes(response.body as ErrorBody)).toEqual([['roleIds[2]', 'invalid_uuid']]);
    });

    it('should write the messages in the language of Accept-Language, honouring q-values', async () => {
      const slot = await createSlot(10);
      const message = async (language: string) =>
        ((await book(slot.id, { name: 'x'.repeat(201) }, language).expect(400)).body as ErrorBody).errors[0].message;
      expect(await message('ru')).toBe('слишком длинное (не более 200 символов)');
      expect(await message('az-AZ')).toBe('çox uzundur (ən çoxu 200 simvol)');
      expect(await message('fr-FR, ru;q=0.5, az;q=0.8')).toBe('çox uzundur (ən çoxu 200 simvol)');
      expect(await message('ru;q=0, de')).toBe('is too long (at most 200 characters)');
      // The top-level message stays English whatever the language.
      expect((await book(slot.id, { name: 'x'.repeat(201) }, 'ru').expect(400)).body.message).toEqual([
        'name must be shorter than or equal to 200 characters',
      ]);
    });
  });

  describe('refusals', () => {
    it('should refuse a party larger than the slot with party_too_large and the later slots it fits in', async () => {
      const small = await createSlot(3);
      const big = await createSlot(8);
      const full = await createSlot(6);
      await book(full.id, { partySize: 6 }).expect(201);
      const response = await book(small.id, { partySize: 5, waitlist: true }, 'ru').expect(409);
      const body = response.body as ErrorBody;
      expect(body.message).toBe(
        'This time slot holds at most 3 people; please choose another time or book a smaller party',
      );
      expect(body.errors).toEqual([
        {
          field: 'partySize',
          code: 'party_too_large',
          message: expect.stringContaining('не более чем на 3 человек'),
          params: { capacity: 3 },
        },
      ]);
      const fits = body.fits!.map((slot) => slot.slotId);
      expect(fits).toContain(big.id);
      expect(fits).not.toContain(full.id);
      expect(fits).not.toContain(small.id);
      expect(body.fits!.find((slot) => slot.slotId === big.id)).toMatchObject({
        remaining: 8,
        startsAt: new Date(big.startsAt).toISOString(),
      });
    });

    it('should refuse a full slot with slot_full (the waiting list helps there)', async () => {
      const slot = await createSlot(2);
      await book(slot.id, { partySize: 2 }).expect(201);
      const response = await book(slot.id, { partySize: 1 }, 'az').expect(409);
      expect((response.body as ErrorBody).errors).toEqual([
        { field: 'slotId', code: 'slot_full', message: expect.stringContaining('gözləmə siyahısına') },
      ]);
      expect((response.body as ErrorBody).message).toContain('"waitlist": true');
    });

    it('should refuse a second booking of the same address with already_booked, in English by default', async () => {
      const slot = await createSlot(5);
      const address = email();
      await book(slot.id, { email: address }).expect(201);
      const response = await book(slot.id, { email: address }).expect(409);
      expect((response.body as ErrorBody).errors).toEqual([
        {
          field: 'email',
          code: 'already_booked',
          message:
            'This email address already has a booking for this time slot; use the link in your confirmation email to see or cancel it',
        },
      ]);
    });

    it('should refuse a slot that has begun with slot_started', async () => {
      const past = await createSlot(5, new Date(NOW.getTime() - 60 * 60_000));
      const response = await book(past.id, {}).expect(409);
      expect(codes(response.body as ErrorBody)).toEqual([['slotId', 'slot_started']]);
    });

    it("should refuse overlapping roles with roles_overlap on both roles' places in the list", async () => {
      const role = async (name: string, shiftStart: string, shiftEnd: string) =>
        (
          await t.http
            .post(`/ceremonies/${ceremony.id}/volunteer-roles`)
            .set(organizer)
            .send({ name, capacity: 5, shiftStart, shiftEnd })
            .expect(201)
        ).body as { id: string };
      const early = await role('Carnations', '09:00', '11:30');
      const other = await role('Parking', '14:00', '15:00');
      const late = await role('Interpreting', '11:00', '13:00');
      const response = await t.http
        .post('/volunteers')
        .set('Accept-Language', 'ru')
        .send({
          ceremonyId: ceremony.id,
          name: 'Leyla',
          email: email(),
          consentReminders: false,
          roleIds: [early.id, other.id, late.id],
        })
        .expect(400);
      const body = response.body as ErrorBody;
      expect(body.message).toEqual([
        'roleIds: The shifts of "Carnations" (09:00-11:30) and "Interpreting" (11:00-13:00) overlap; one person cannot take both',
      ]);
      expect(codes(body).sort()).toEqual([
        ['roleIds[0]', 'roles_overlap'],
        ['roleIds[2]', 'roles_overlap'],
      ]);
      expect(body.errors[0].message).toBe(
        'Смены «Carnations» и «Interpreting» пересекаются; один человек не может взять обе',
      );
    });

    it('should give an uncoded refusal a generic code and keep its English message', async () => {
      const response = await t.http
        .post('/ceremonies')
        .set(organizer)
        .set('Accept-Language', 'ru')
        .send({ year: 2027, title: 'Again', startTime: '10:00', venue: VENUE })
        .expect(409);
      expect((response.body as ErrorBody).errors).toEqual([
        { field: null, code: 'conflict', message: 'Запрос противоречит текущему состоянию' },
      ]);
      expect((response.body as ErrorBody).message).toBe('An edition for 2027 already exists');
    });
  });

  describe('a missing edition', () => {
    it("should answer the same 404 body on every route that looks up an edition, in the asker's language", async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const answers = async (language: string) =>
        Promise.all([
          t.http.get(`/ceremonies/${missing}`).set(organizer).set('Accept-Language', language).expect(404),
          t.http.get(`/ceremonies/${missing}/volunteers`).set(organizer).set('Accept-Language', language).expect(404),
          t.http.get(`/ceremonies/${missing}/visit-slots`).set(organizer).set('Accept-Language', language).expect(404),
          t.http
            .post('/volunteers')
            .set('Accept-Language', language)
            .send({
              ceremonyId: missing,
              roleIds: [missing],
              email: email(),
              name: 'Leyla Aliyeva',
              consentReminders: false,
            })
            .expect(404),
        ]);

      const english = await answers('en');
      for (const response of english) {
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'Edition not found',
          errors: [{ field: null, code: 'edition_not_found', message: 'Edition not found' }],
        });
      }
      const russian = (await answers('ru')).map((response) => response.body as ErrorBody);
      expect(new Set(russian.map((body) => JSON.stringify(body))).size).toBe(1);
      expect(russian[0].errors).toEqual([
        { field: null, code: 'edition_not_found', message: 'Мероприятие этого года не найдено' },
      ]);
      expect(russian[0].message).toBe('Edition not found');
    });
  });

  describe('OpenAPI', () => {
    it('should describe every 400 and 409 with the one ErrorResponse schema and its codes', async () => {
      type Doc = {
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>
        >;
        components: {
          schemas: Record<
            string,
            { properties: Record<string, { items?: { properties: Record<string, { enum?: string[] }> } }> }
          >;
        };
      };
      const document = (await t.http.get('/docs-json').expect(200)).body as Doc;
      const schema = document.components.schemas.ErrorResponse;
      expect(schema.properties.errors.items!.properties.code.enum).toEqual(
        expect.arrayContaining([
          'required',
          'too_long',
          'invalid_email',
          'not_allowed',
          'slot_full',
          'party_too_large',
          'roles_overlap',
        ]),
      );
      const booking = document.paths['/visit-slots/{slotId}/bookings'].post.responses;
      for (const status of ['400', '409'])
        expect(booking[status].content!['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponse');
      const refs = Object.values(document.paths)
        .flatMap((item) => Object.values(item))
        .flatMap((operation) =>
          ['400', '409']
            .filter((status) => operation.responses[status])
            .map((status) => operation.responses[status].content?.['application/json']?.schema.$ref),
        );
      expect(refs.length).toBeGreaterThan(30);
      expect(refs.every((ref) => ref === '#/components/schemas/ErrorResponse')).toBe(true);
    });
  });
});
