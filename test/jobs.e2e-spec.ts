import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { TransactionService } from '../src/database/transaction.service';
import { JobContext, JobHandler } from '../src/jobs/job-handler.decorator';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { Jobs } from '../src/jobs/jobs.service';
import { MailQueue } from '../src/mail/mail-queue.service';
import { createTestApp, TestApp } from './support/app';
import { eventually } from './support/eventually';
import { insertCeremony } from './support/factories';

/** A job kind of the test: fails on its first run, then writes a mail of its own. */
@Injectable()
class NoteJobs {
  readonly seen: Array<{ note: string; attempts: number }> = [];
  failures = 1;

  constructor(
    private readonly mail: MailQueue,
    private readonly transactions: TransactionService,
  ) {}

  @JobHandler('test.note-request')
  async decide(request: { note: string }, job: JobContext): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database briefly away');
    }
    this.seen.push({ note: request.note, attempts: job.attempts });
    // A handler's mail is a job of its own, written in the handler's transaction.
    await this.transactions.run((manager) =>
      this.mail.enqueue(
        [
          {
            kind: 'test.note',
            to: { address: 'decided@example.org' },
            subject: 'Note',
            text: `Decided ${request.note}`,
          },
        ],
        manager,
      ),
    );
  }
}

/**
 * Background work goes through the job queue (src/jobs): written in the transaction that decided
 * it, sealed, run once that commits (woken through PostgreSQL, whichever connection wrote it),
 * retried, and run exactly once by any number of instances. Transactional mail is the kind mail.send
 * (a booking's messages visit.mail, composed by the job).
 */
describe('Jobs', () => {
  let t: TestApp;
  let slotId: string;

  const runner = () => t.app.get(JobsQueue).runner;
  const mailQueue = () => t.app.get(MailQueue);
  const jobs = () => t.app.get(Jobs);
  const rows = () =>
    t.db.query<{
      id: string;
      kind: string;
      status: string;
      attempts: number;
      payload: Buffer | null;
      last_error: string | null;
    }>('SELECT id, kind, status, attempts, payload, last_error FROM jobs ORDER BY id');
  const mail = (address: string, text = 'Text') => ({ kind: 'test.note', to: { address }, subject: 'Note', text });

  beforeAll(async () => {
    t = await createTestApp({ providers: [NoteJobs] });
    const ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
    const organizer = await t.auth('organizer');
    const response = await t.http
      .post(`/ceremonies/${ceremonyId}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T06:00:00.000Z', endsAt: '2027-02-26T06:30:00.000Z', capacity: 50 })
      .expect(201);
    slotId = response.body.id as string;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await runner().settled();
    await t.db.query('DELETE FROM jobs');
    t.smtp.clear();
  });

  it('should keep a confirmation the relay refused for later, sealed, and send it once when it is due', async () => {
    t.smtp.failNext(1, 421, 'Try again later');
    const booked = await t.http
      .post(`/visit-slots/${slotId}/bookings`)
      .send({ name: 'Aysel Mammadova', email: 'aysel@example.org', partySize: 2 })
      .expect(201);
    const token = new URL(booked.body.manageUrl as string).searchParams.get('token')!;
    await runner().settled();
    expect(t.smtp.to('aysel@example.org')).toHaveLength(0);

    const [waiting] = await rows();
    // A booking's message is composed and sent by its own job kind.
    expect(waiting).toMatchObject({
      kind: 'visit.mail',
      status: 'queued',
      attempts: 1,
      last_error: expect.stringContaining('Try again later'),
    });
    // Sealed: the private link and the address are not in the table.
    const stored = waiting.payload!.toString('latin1');
    for (const secret of [token, 'aysel@example.org', 'Aysel']) expect(stored).not.toContain(secret);

    await t.db.query(`UPDATE jobs SET run_at = now() - interval '1 second'`);
    await runner().settled();
    const [received] = t.smtp.to('aysel@example.org');
    expect(t.smtp.to('aysel@example.org')).toHaveLength(1);
    expect(received.parsed.text).toContain(token);
    expect(await rows()).toEqual([]);
  });

  it('should send nothing for a transaction that rolled back, and the committed one without being asked', async () => {
    await expect(
      t.app.get(TransactionService).run(async (manager) => {
        await mailQueue().enqueue([mail('rolled-back@example.org')], manager);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.app.get(TransactionService).run((manager) => mailQueue().enqueue([mail('committed@example.org')], manager));
    // Nobody calls the runner: the commit's wake-up starts it.
    await t.smtp.waitForMailTo('committed@example.org');
    await runner().settled();
    expect(t.smtp.received.map((received) => received.envelopeTo[0])).toEqual(['committed@example.org']);
    expect(await rows()).toEqual([]);
  });

  it('should wake on a job written by another connection, with no poll to find it, and run the scheduled tasks only with the scheduler role', async () => {
    const second = await createTestApp({
      database: t.db,
      smtp: t.smtp,
      env: { SCHEDULER_ENABLED: 'true', JOBS_POLL_MS: '600000', MAILING_POLL_MS: '600000' },
    });
    try {
      // Written by plain SQL from outside every app: only PostgreSQL can tell them.
      const entry = mailQueue().entry(mail('woken@example.org'));
      await t.db.query(`SELECT enqueue_job($1, $2, now())`, [entry.kind, entry.payload]);
      await t.smtp.waitForMailTo('woken@example.org');
      await eventually(rows, (left) => left.length === 0, 30_000, 'the woken job to be done');
      // The scheduler role also runs every declared scheduled task, once each; an instance without it none.
      expect([...second.app.get(SchedulerRegistry).getCronJobs().keys()].sort()).toEqual([
        'reminders',
        'retention',
        'subscribers.compact-counts',
        'subscriptions.purge-expired',
        'volunteers.purge-expired-sign-ups',
      ]);
      expect([...t.app.get(SchedulerRegistry).getCronJobs().keys()]).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('should run what a dead instance left claimed once its lease is over, and not before, and never take back its own', async () => {
    const entry = mailQueue().entry(mail('claimed@example.org'));
    await t.db.query(
      `INSERT INTO jobs (kind, payload, status, attempts, run_at, claimed_at, claimed_by)
       VALUES ($1, $2, 'running', 1, now(), now() - make_interval(secs => $3), 'dead-instance'), ($1, $2, 'running', 1, now(), now(), 'live-instance'),
              ($1, $2, 'running', 1, now(), now() - make_interval(secs => $3), $4)`,
      [entry.kind, entry.payload, 601, runner().instanceId],
    );
    await runner().settled();
    expect(t.smtp.to('claimed@example.org')).toHaveLength(1);
    // The live instance's row, and this instance's own (it would still be running it), stay.
    expect((await rows()).map((row) => row.status)).toEqual(['running', 'running']);
  });

  it('should give up on a job that cannot be opened (altered, or sealed under another JWT_SECRET) and keep no payload', async () => {
    const entry = mailQueue().entry(mail('altered@example.org'));
    entry.payload[entry.payload.length - 1] ^= 1;
    await t.db.query(`INSERT INTO jobs (kind, payload, run_at) VALUES ($1, $2, now())`, [entry.kind, entry.payload]);
    await runner().settled();
    expect(t.smtp.received).toHaveLength(0);
    expect(await rows()).toEqual([
      expect.objectContaining({
        status: 'failed',
        payload: null,
        last_error: expect.stringContaining('cannot be opened'),
      }),
    ]);
  });

  it('should mark a 550 as failed without retrying, keeping the reply and not the message', async () => {
    t.smtp.failNext(1, 550, 'No such user');
    await mailQueue().enqueue([mail('nobody@example.org')]);
    await runner().settled();
    expect(await rows()).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 1,
        payload: null,
        last_error: expect.stringContaining('No such user'),
      }),
    ]);
  });

  it('should run a declared handler after the answer, sealed, retried after a failure, once', async () => {
    const handler = t.app.get(NoteJobs);
    await jobs().enqueue('test.note-request', [{ note: 'secret-note-42' }]);
    await runner().settled();
    expect(handler.seen).toEqual([]);
    const [waiting] = await rows();
    expect(waiting).toMatchObject({
      kind: 'test.note-request',
      status: 'queued',
      attempts: 1,
      last_error: 'database briefly away',
    });
    expect(waiting.payload!.toString('latin1')).not.toContain('secret-note-42');

    await t.db.query(`UPDATE jobs SET run_at = now() - interval '1 second'`);
    await runner().settled();
    expect(handler.seen).toEqual([{ note: 'secret-note-42', attempts: 2 }]);
    expect(t.smtp.to('decided@example.org').map((received) => received.parsed.text?.trim())).toEqual([
      'Decided secret-note-42',
    ]);
    expect(await rows()).toEqual([]);
  });

  it('should refuse to start while a queued job has no handler', async () => {
    await jobs().enqueue('test.nobody-handles-this', [{}], { runAt: new Date(Date.now() + 3600_000) });
    await expect(createTestApp({ database: t.db, smtp: t.smtp })).rejects.toThrow(
      /test\.nobody-handles-this are queued but no handler/,
    );
  });

  it('should round-trip a payload with an attachment given as bytes', () => {
    const sealedMail = {
      ...mail('a@example.org'),
      attachments: [{ filename: 'x.ics', content: Buffer.from([0, 1, 2, 250]), contentType: 'text/calendar' }],
    };
    expect(jobs().open(jobs().seal(sealedMail))).toEqual(sealedMail);
  });

  it('should send 200 messages from two instances on one database, each once', async () => {
    const second = await createTestApp({ database: t.db, smtp: t.smtp, env: { JOBS_BATCH_SIZE: '10' } });
    try {
      const addresses = Array.from({ length: 200 }, (_, index) => `two-${index}@example.org`);
      await t.db.query(`INSERT INTO jobs (kind, payload, run_at) SELECT 'mail.send', unnest($1::bytea[]), now()`, [
        addresses.map((address) => jobs().seal(mail(address))),
      ]);
      await Promise.all([runner().settled(), second.app.get(JobsQueue).runner.settled()]);
      expect(t.smtp.received.map((received) => received.envelopeTo[0]).sort()).toEqual([...addresses].sort());
      expect(await rows()).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
