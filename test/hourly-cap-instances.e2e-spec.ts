import { DeliveriesQueue } from '../src/mailings/deliveries.queue';
import { createTestApp, TestApp } from './support/app';

const HOURLY = 20;

/** SMTP_RATE_PER_HOUR is a budget of the whole deployment, not of each instance. */
describe('The hourly sending budget over several instances', () => {
  let t: TestApp;
  const others: TestApp[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { SMTP_RATE_PER_HOUR: String(HOURLY), MAILING_BATCH_SIZE: '8' } });
    for (let index = 0; index < 2; index += 1)
      others.push(
        await createTestApp({
          database: t.db,
          smtp: t.smtp,
          env: { SMTP_RATE_PER_HOUR: String(HOURLY), MAILING_BATCH_SIZE: '8' },
        }),
      );
  });

  afterAll(async () => {
    for (const app of others) await app.close();
    await t.close();
  });

  it('should send no more than the budget when three instances claim at once through a slow relay', async () => {
    const admin = await t.auth('admin');
    const ceremony = await t.http
      .post('/ceremonies')
      .set(admin)
      .send({
        year: 2027,
        title: 'Remembrance Day 2027',
        startTime: '10:00',
        venue: { name: 'Memorial', address: 'Baku' },
      })
      .expect(201);
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at) SELECT 'budget-' || n || '@example.org', 'Subscriber ' || n, 'en', 'confirmed', now() FROM generate_series(1, 60) AS n`,
    );
    const mailing = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Reminder',
        audience: { kind: 'subscribers', ceremonyId: (ceremony.body as { id: string }).id },
        content: { en: { subject: 'Reminder', text: 'Dear {{name}}.\nUnsubscribe: {{unsubscribeUrl}}' } },
      })
      .expect(201);
    const id = (mailing.body as { id: string }).id;
    t.smtp.acceptDelayMs = 150;
    await t.http.post(`/mailings/${id}/send`).set(admin).send({}).expect(202);

    await Promise.all(
      [t, ...others].map(async (app) => {
        const processor = app.app.get(DeliveriesQueue).runner;
        while ((await processor.processDueBatch()) > 0);
      }),
    );
    expect(t.smtp.received).toHaveLength(HOURLY);
    const counts = (await t.http.get(`/mailings/${id}`).set(admin).expect(200)).body as {
      counts: { sent: number; queued: number };
    };
    expect(counts.counts).toMatchObject({ sent: HOURLY, queued: 60 - HOURLY });
  });
});
