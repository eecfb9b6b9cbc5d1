import { DeliveriesQueue } from '../../src/mailings/deliveries.queue';
import { createTestApp, TestApp } from '../support/app';
import { insertCeremony } from '../support/factories';
import { SmtpSink } from '../support/smtp-sink';

/**
 * The SMTP relay goes away in the middle of a mailing and comes back on the same address:
 * deliveries wait with backoff, nothing is marked sent that the relay did not accept, and the
 * mailing completes when it returns, every recipient receiving exactly one message.
 */

const RECIPIENTS = 30;
const BATCH = 10;

describe('SMTP relay down in the middle of a mailing', () => {
  let t: TestApp;
  let firstSink: SmtpSink;
  let secondSink: SmtpSink | undefined;

  beforeAll(async () => {
    firstSink = await new SmtpSink().start();
    t = await createTestApp({
      smtp: firstSink,
      env: {
        MAILING_BATCH_SIZE: String(BATCH),
        MAILING_RETRY_BASE_MS: '300',
        MAILING_RETRY_MAX_MS: '1500',
        MAILING_MAX_ATTEMPTS: '20',
        MAILING_FAILURE_MIN_SAMPLE: '1000',
        SMTP_TIMEOUT_MS: '2000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await secondSink?.stop();
    await firstSink.stop();
  });

  const statusCounts = async (mailingId: string) => {
    const rows = await t.db.query<{ status: string; count: number }>(
      `SELECT status, COUNT(*)::int AS count FROM deliveries WHERE mailing_id = $1 GROUP BY status`,
      [mailingId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count])) as Record<string, number>;
  };
  const sentEmails = async (mailingId: string) =>
    (
      await t.db.query<{ email: string }>(
        `SELECT email FROM deliveries WHERE mailing_id = $1 AND status = 'sent' ORDER BY email`,
        [mailingId],
      )
    ).map((row) => row.email);

  it('should hold the rest with backoff while the relay is down and deliver each once when it returns', async () => {
    const { id: ceremonyId } = await insertCeremony(t.db, { year: 2027 });
    const emails = Array.from(
      { length: RECIPIENTS },
      (_, index) => `outage-${String(index).padStart(2, '0')}@example.org`,
    );
    await t.db.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at) SELECT e, 'Reader', 'en', 'confirmed', now() FROM unnest($1::text[]) AS e`,
      [emails],
    );
    const admin = await t.auth('admin');
    const content = {
      en: {
        subject: 'Reminder: {{ceremonyTitle}}',
        text: 'Dear {{name}}, the ceremony begins {{ceremonyStartTime}}.\nUnsubscribe: {{unsubscribeUrl}}',
      },
    };
    const created = await t.http
      .post('/mailings')
      .set(admin)
      .send({ name: 'Outage', audience: { kind: 'subscribers', ceremonyId }, content })
      .expect(201);
    const mailingId = created.body.id as string;
    await t.http.post(`/mailings/${mailingId}/send`).set(admin).send({}).expect(202);
    const processor = t.app.get(DeliveriesQueue).runner;

    // Part of the mailing goes out, then the relay disappears.
    await processor.processDueBatch();
    expect(firstSink.received).toHaveLength(BATCH);
    const port = firstSink.port;
    await firstSink.stop();

    // The processor keeps running during the outage: nothing fails for good, nothing is marked sent.
    const outageStarted = Date.now();
    for (let round = 0; round < 3; round += 1) await processor.processDueBatch();
    const during = await statusCounts(mailingId);
    expect(during).toEqual({ sent: BATCH, queued: RECIPIENTS - BATCH });
    expect(await sentEmails(mailingId)).toEqual(firstSink.received.map((mail) => mail.envelopeTo[0]).sort());
    const [waiting] = await t.db.query<{ retried: number; later: number }>(
      `SELECT COUNT(*) FILTER (WHERE attempts >= 1)::int AS retried, COUNT(*) FILTER (WHERE next_attempt_at > now())::int AS later FROM deliveries WHERE mailing_id = $1 AND status = 'queued'`,
      [mailingId],
    );
    expect(waiting.retried).toBeGreaterThan(0);
    expect(waiting.later).toBeGreaterThan(0);

    // The relay returns on the same address; the processor drains the rest after its backoff.
    secondSink = await new SmtpSink().start(port);
    const deadline = Date.now() + 30_000;
    // Until all is sent and a pass finds nothing due (that pass marks the mailing sent), as the processor's loop does.
    for (
      let claimed = 1;
      (claimed > 0 || ((await statusCounts(mailingId)).sent ?? 0) < RECIPIENTS) && Date.now() < deadline;
    ) {
      claimed = await processor.processDueBatch();
      if (claimed === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const outageMs = Date.now() - outageStarted;

    const received = [...firstSink.received, ...secondSink.received].map((mail) => mail.envelopeTo[0]).sort();
    expect(received).toEqual(emails);
    expect(new Set(received).size).toBe(RECIPIENTS);
    expect(await statusCounts(mailingId)).toEqual({ sent: RECIPIENTS });
    expect(await sentEmails(mailingId)).toEqual(received);
    const [attempts] = await t.db.query<{ max: number }>(
      `SELECT MAX(attempts)::int AS max FROM deliveries WHERE mailing_id = $1`,
      [mailingId],
    );
    process.stdout.write(
      `smtp outage: ${RECIPIENTS} recipients, ${BATCH} before the outage, drained ${outageMs} ms after it began, max attempts ${attempts.max}, duplicates ${received.length - new Set(received).size}\n`,
    );
    await expect(t.http.get(`/mailings/${mailingId}`).set(admin)).resolves.toMatchObject({ body: { status: 'sent' } });
  });
});
