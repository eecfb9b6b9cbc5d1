import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/** Mailing and reminder templates are HTML-escaped on every interpolation; raw ones are refused when saved. */
describe('Mail templates', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let ceremonyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.auth('admin');
    ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
  });
  afterAll(() => t.close());

  const content = (html: string) => ({
    en: { subject: 'Reminder: {{ceremonyTitle}}', text: 'Dear {{name}}\nUnsubscribe: {{unsubscribeUrl}}', html },
  });

  it('should refuse a mailing whose HTML uses {{{x}}} or {{& x}} with 400 naming the field and the construct, and store nothing', async () => {
    const [{ count: before }] = await t.db.query<{ count: string }>('SELECT count(*) FROM mailings');
    for (const [html, construct] of [
      ['<p>Dear {{{name}}}</p>', '{{{name}}}'],
      ['<p>{{#if venue}}{{& venue}}{{/if}}</p>', '{{& venue}}'],
    ]) {
      const response = await t.http
        .post('/mailings')
        .set(admin)
        .send({ name: 'Raw', audience: { kind: 'subscribers', ceremonyId }, content: content(html) })
        .expect(400);
      const name = /\{\{[{&]\s*(\w+)/.exec(construct)![1];
      expect(response.body.message).toEqual([
        `content.en.html uses unescaped interpolation ${construct}; use {{${name}}}`,
      ]);
    }
    const subject = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Raw',
        audience: { kind: 'subscribers', ceremonyId },
        content: { ru: { subject: '{{{ceremonyTitle}}}', text: 'x' } },
      })
      .expect(400);
    expect(subject.body.message).toEqual([
      'content.ru.subject uses unescaped interpolation {{{ceremonyTitle}}}; use {{ceremonyTitle}}',
    ]);
    const [{ count: after }] = await t.db.query<{ count: string }>('SELECT count(*) FROM mailings');
    expect(after).toBe(before);
    await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Escaped',
        audience: { kind: 'subscribers', ceremonyId },
        content: content('<p>Dear {{name}}</p>'),
      })
      .expect(201);
  });

  it('should refuse the same in a reminder template, keep the stored one, and accept every seeded default as it is', async () => {
    const templates = (await t.http.get('/reminder-templates').set(admin).expect(200)).body as Array<{
      key: string;
      content: Record<string, unknown>;
    }>;
    expect(templates.length).toBeGreaterThanOrEqual(3);
    const [first] = templates;
    const refused = await t.http
      .put(`/reminder-templates/${first.key}`)
      .set(admin)
      .send({ content: content('<p>{{{name}}}</p>') })
      .expect(400);
    expect(refused.body.message).toEqual(['content.en.html uses unescaped interpolation {{{name}}}; use {{name}}']);
    const refusedAmp = await t.http
      .put(`/reminder-templates/${first.key}`)
      .set(admin)
      .send({ content: { az: { subject: 's', text: '{{&manageUrl}}' } } })
      .expect(400);
    expect(refusedAmp.body.message).toEqual([
      'content.az.text uses unescaped interpolation {{&manageUrl}}; use {{manageUrl}}',
    ]);
    const unchanged = (await t.http.get('/reminder-templates').set(admin).expect(200)).body as typeof templates;
    expect(unchanged.find((template) => template.key === first.key)).toEqual(first);
    for (const template of templates)
      await t.http
        .put(`/reminder-templates/${template.key}`)
        .set(admin)
        .send({ content: template.content })
        .expect(200);
  });
});
