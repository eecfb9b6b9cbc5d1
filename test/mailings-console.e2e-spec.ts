import { TEMPLATE_VARIABLES } from '../src/mailings/mailing-templates';
import { createTestApp, TestApp } from './support/app';

type Headers = { Authorization: string };

const CONTENT = {
  en: { subject: 'Khojaly Remembrance Day', text: 'Dear {{name}}, we remember together. {{unsubscribeUrl}}' },
};

/** What the console's composer asks before anything is sent: the variables, and how many people an audience holds. */
describe('Mailings: what the composer asks before sending', () => {
  let t: TestApp;
  let admin: Headers;

  async function addSubscribers(people: Array<{ email: string; status?: string }>): Promise<void> {
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at)
       SELECT lower(p.email), 'Subscriber', 'en', p.status, CASE WHEN p.status = 'confirmed' THEN now() END FROM unnest($1::text[], $2::text[]) AS p(email, status)`,
      [people.map((person) => person.email), people.map((person) => person.status ?? 'confirmed')],
    );
  }

  const count = (audience: Record<string, unknown>, headers: Headers = admin) =>
    t.http.post('/mailings/audience-count').set(headers).send({ audience });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.auth('admin');
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await t.db.query('DELETE FROM subscribers');
    await t.db.query('DELETE FROM suppressions');
  });

  it('should list the template variables the check on save accepts, each with what it stands for', async () => {
    const response = await t.http.get('/mailings/variables').set(admin).expect(200);
    const items = (response.body as { items: Array<{ name: string; description: string }> }).items;
    expect(items.map((item) => item.name)).toEqual([...TEMPLATE_VARIABLES]);
    expect(items.every((item) => item.description.length > 0)).toBe(true);
    // Every listed variable is one a draft may use.
    const text = items.map((item) => `{{${item.name}}}`).join(' ');
    await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'All variables', audience: { kind: 'subscribers' }, content: { en: { subject: 'x', text } } })
      .expect(201);
  });

  it('should count an audience as a send would freeze it: once per address, without suppressed or unconfirmed people, writing nothing', async () => {
    await addSubscribers([
      { email: 'aysel@example.org' },
      { email: 'murad@example.org' },
      { email: 'unsubscribed@example.org' },
      { email: 'pending@example.org', status: 'pending' },
    ]);
    await t.db.query(
      `INSERT INTO suppressions (email, reason, source) VALUES ('unsubscribed@example.org', 'unsubscribed', 'test')`,
    );
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries');

    const response = await count({ kind: 'subscribers' }).expect(200);
    expect(response.body).toEqual({ recipients: 2 });
    expect(await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries')).toEqual(before);

    // The send freezes exactly the people counted.
    const created = await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Counted', audience: { kind: 'subscribers' }, content: CONTENT })
      .expect(201);
    const sent = await t.http
      .post(`/mailings/${created.body.id}/send`)
      .set(admin)
      .send({ at: '2099-01-01T00:00:00Z' })
      .expect(202);
    expect(sent.body.counts.total).toBe(2);
  });

  it('should refuse to count an audience it cannot serve, naming the field', async () => {
    const unknownKind = await count({ kind: 'donors' }).expect(400);
    expect(unknownKind.body.errors).toEqual([
      expect.objectContaining({ field: 'audience.kind', code: 'invalid_enum' }),
    ]);
    const badFilter = await count({ kind: 'subscribers', filters: { roleId: 'x' } }).expect(400);
    expect(badFilter.body.errors).toEqual([expect.objectContaining({ field: 'audience.filters.roleId' })]);
    await count({ kind: 'visitors', ceremonyId: '00000000-0000-4000-8000-000000000000' }).expect(400);
  });

  it('should refuse a raw interpolation on its field with a code, in the language asked for', async () => {
    const content = {
      en: { subject: 'Khojaly Remembrance Day', text: 'Dear {{name}}', html: '<p>Dear {{{name}}}</p>' },
    };
    const english = await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Raw', audience: { kind: 'subscribers' }, content })
      .expect(400);
    expect(english.body.message).toEqual(['content.en.html uses unescaped interpolation {{{name}}}; use {{name}}']);
    expect(english.body.errors).toEqual([
      {
        field: 'content.en.html',
        code: 'unescaped_variable',
        message: 'content.en.html uses unescaped interpolation {{{name}}}; use {{name}}',
        params: { variable: 'name' },
      },
    ]);
    const russian = await t.http
      .post('/mailings')
      .set(admin)
      .set('Accept-Language', 'ru')
      .send({
        name: 'Raw',
        audience: { kind: 'subscribers' },
        content: { ru: { subject: 'Тема', text: 'Здравствуйте, {{foo}}' } },
      })
      .expect(400);
    expect(russian.body.errors).toEqual([
      expect.objectContaining({
        field: 'content.ru.text',
        code: 'unknown_variable',
        message: '{{foo}} не является переменной шаблона',
      }),
    ]);
  });

  it('should refuse an organizer the count and the variables (403)', async () => {
    const organizer = await t.auth('organizer');
    await count({ kind: 'subscribers' }, organizer).expect(403);
    await t.http.get('/mailings/variables').set(organizer).expect(403);
  });
});
