import { Client } from 'pg';
import request from 'supertest';
import { ADMIN } from './support/app';
import { AppProcess, freePort, startAppProcess } from './support/app-process';
import { createTestDatabase, TestDatabase } from './support/database';
import { eventually } from './support/eventually';
import { SmtpSink } from './support/smtp-sink';

const HOURLY = 20;
const RECIPIENTS = 30;

/** What one probe of an instance gives: its /health status, or why it has none yet. */
async function healthOf(instance: AppProcess): Promise<string> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null)
    return `exited (${instance.child.exitCode ?? instance.child.signalCode}): ${instance.stderr().slice(-400)}`;
  try {
    return String((await fetch(`${instance.url}/health`)).status);
  } catch {
    return 'not listening yet';
  }
}

/** How many connections of the app to this database wait for a lock held elsewhere. */
async function waitingForLocks(database: TestDatabase): Promise<number> {
  const [{ waiting }] = await database.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return waiting;
}

/**
 * Three instances of the app, each its own process with the scheduler on, started at the same
 * moment on a fresh database as a deployment with three replicas does; then a mailing larger than
 * the hourly budget runs through all three at once, through a slow relay. Both races are made
 * certain rather than left to timing: the test holds each shared step until all three instances
 * wait at it. Everything is read over HTTP, in the tables and at the SMTP sink.
 */
describe('Three instances started together on a fresh database', () => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  const instances: AppProcess[] = [];
  /**
   * Holds a table named "migrations" in an open transaction, so each instance stops at the start
   * of its migration run (on this table, or on the lock of the one before it) until all three are
   * there; the rollback lets them go at the same instant and leaves the database as fresh as it was.
   */
  let gate: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await new SmtpSink().start();
    // Each message takes this long at the relay, so an instance's batch is still in flight while the others claim.
    smtp.acceptDelayMs = 150;
    gate = new Client({ connectionString: database.url });
    await gate.connect();
    await gate.query('BEGIN');
    await gate.query('CREATE TABLE migrations (id integer)');
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports)
      instances.push(
        startAppProcess(database, smtp, port, {
          SMTP_RATE_PER_HOUR: String(HOURLY),
          SMTP_POOL_CONNECTIONS: '2',
          MAILING_BATCH_SIZE: '8',
          MAILING_POLL_MS: '100',
          // The first to arrive waits at the gate for the other two to start.
          DATABASE_STATEMENT_TIMEOUT_MS: '60000',
        }),
      );
  });

  afterAll(async () => {
    await gate?.end().catch(() => undefined);
    await Promise.all(instances.map((instance) => instance.stop()));
    await smtp?.stop();
    await database?.drop();
  });

  it('should start all three, apply each migration exactly once, create one first admin and answer /health', async () => {
    // Three processes compiling and starting at once on a busy two-core machine: generous deadlines.
    await eventually(
      () => Promise.all([waitingForLocks(database), ...instances.map(healthOf)]),
      ([waiting, ...statuses]) => waiting >= 3 || statuses.some((status) => String(status).startsWith('exited')),
      90_000,
      'the three instances to reach their migration run',
    );
    await gate.query('ROLLBACK');
    await gate.end();

    const health = await eventually(
      () => Promise.all(instances.map(healthOf)),
      (statuses) => statuses.every((status) => status === '200' || status.startsWith('exited')),
      60_000,
      'the three instances to answer /health',
    );
    expect(health).toEqual(['200', '200', '200']);
    for (const instance of instances) await request(instance.url).get('/health/ready').expect(200);

    const rows = await database.query<{ name: string; times: number }>(
      'SELECT name, count(*)::int AS times FROM migrations GROUP BY name',
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((row) => row.times !== 1)).toEqual([]);
    // One instance applied them; the others waited for the lock and found nothing left to run.
    const applying = instances.map(
      (instance) =>
        instance.logs.filter((line) => line.context === 'Migrations' && /^Applied \d+ migration/.test(String(line.msg)))
          .length,
    );
    expect(applying.filter((count) => count > 0)).toEqual([1]);

    const [{ admins }] = await database.query<{ admins: number }>(
      `SELECT count(*)::int AS admins FROM users WHERE role = 'admin'`,
    );
    expect(admins).toBe(1);
  }, 180_000);

  it('should send exactly the hourly budget through the three, to distinct recipients with distinct Message-IDs, and keep the rest queued', async () => {
    const [first, second, third] = instances;
    const login = await request(first.url).post('/auth/login').send(ADMIN).expect(200);
    const admin = { Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
    await database.query(
      `INSERT INTO subscribers (email, name, locale, status, confirmed_at)
       SELECT 'three-' || n || '@example.org', 'Subscriber ' || n, 'en', 'confirmed', now() FROM generate_series(1, $1) AS n`,
      [RECIPIENTS],
    );
    // Written on one instance, sent from another: the token and the mailing are the deployment's, not an instance's.
    const created = await request(second.url)
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Remembrance',
        audience: { kind: 'subscribers' },
        content: { en: { subject: 'Remembrance', text: 'Dear {{name}}.\nUnsubscribe: {{unsubscribeUrl}}' } },
      })
      .expect(201);
    const id = (created.body as { id: string }).id;
    // Scheduled an hour ahead, then made due while the ledger is locked: the three instances' claims
    // queue up on the lock and all go at the same instant, the moment the budget is most contended.
    const at = new Date(Date.now() + 3600_000).toISOString();
    await request(third.url).post(`/mailings/${id}/send`).set(admin).send({ at }).expect(202);
    gate = new Client({ connectionString: database.url });
    await gate.connect();
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE deliveries IN EXCLUSIVE MODE');
    await gate.query(`UPDATE deliveries SET next_attempt_at = now() - interval '1 minute' WHERE mailing_id = $1`, [id]);
    await eventually(
      () => waitingForLocks(database),
      (waiting) => waiting >= 3,
      30_000,
      'the three instances to claim at once',
    );
    await gate.query('COMMIT');

    // Settled: the budget reached and nothing held in flight by any instance.
    const [ledger] = await eventually(
      () =>
        database.query<{ sent: number; queued: number; sending: number; failed: number; skipped: number }>(
          `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'queued')::int AS queued,
                  count(*) FILTER (WHERE status = 'sending')::int AS sending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
                  count(*) FILTER (WHERE status = 'skipped')::int AS skipped
             FROM deliveries WHERE mailing_id = $1`,
          [id],
        ),
      ([row]) => row.sending === 0 && row.sent >= HOURLY && smtp.received.length >= row.sent,
      30_000,
      'the three instances to spend the hourly budget',
    );
    // The cap is exact: the budget and not one message more, the rest waits for the next hour, none failed.
    expect(ledger).toEqual({ sent: HOURLY, queued: RECIPIENTS - HOURLY, sending: 0, failed: 0, skipped: 0 });
    expect(smtp.received).toHaveLength(HOURLY);
    const mailing = await request(first.url).get(`/mailings/${id}`).set(admin).expect(200);
    expect((mailing.body as { counts: Record<string, number> }).counts).toMatchObject({
      total: RECIPIENTS,
      sent: HOURLY,
      queued: RECIPIENTS - HOURLY,
      failed: 0,
    });

    // No duplicate: every message went to a different recipient under a different Message-ID, and the
    // ledger's sent rows are exactly the messages the relay accepted.
    const recipients = smtp.received.map((mail) => mail.envelopeTo[0]);
    const messageIds = smtp.received.map((mail) => (mail.parsed.messageId ?? '').replace(/^<|>$/g, ''));
    expect(new Set(recipients).size).toBe(HOURLY);
    expect(new Set(messageIds).size).toBe(HOURLY);
    const sentRows = await database.query<{ email: string; message_id: string; claimed_by: string }>(
      `SELECT email, message_id, claimed_by FROM deliveries WHERE mailing_id = $1 AND status = 'sent'`,
      [id],
    );
    expect(sentRows.map((row) => row.email).sort()).toEqual([...recipients].sort());
    expect(sentRows.map((row) => row.message_id.replace(/^<|>$/g, '')).sort()).toEqual([...messageIds].sort());
    // Nothing lost: every recipient is either sent or still queued.
    const [{ total, distinct }] = await database.query<{ total: number; distinct: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT email)::int AS distinct FROM deliveries WHERE mailing_id = $1`,
      [id],
    );
    expect({ total, distinct }).toEqual({ total: RECIPIENTS, distinct: RECIPIENTS });
    // The budget was shared, not spent by one instance alone: the claims did overlap.
    const senders = new Set(sentRows.map((row) => row.claimed_by));
    process.stdout.write(
      `\nThree instances: ${HOURLY} of ${RECIPIENTS} sent under SMTP_RATE_PER_HOUR=${HOURLY}, by ${senders.size} instance(s)\n`,
    );
    expect(senders.size).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
