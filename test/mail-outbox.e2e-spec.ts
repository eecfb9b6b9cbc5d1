import { TransactionService } from '../src/database/transaction.service';
import { MailOutboxProcessor } from '../src/mail/mail-outbox.processor';
import { MailOutbox } from '../src/mail/mail-outbox.service';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * Transactional mail goes through the outbox (src/mail/mail-outbox.service.ts): written in the
 * transaction that decided it, sealed, sent once that commits, retried, and sent exactly once by
 * any number of instances.
 */
describe('Mail outbox', () => {
  let t: TestApp;
  let slotId: string;

  const processor = () => t.app.get(MailOutboxProcessor);
  const outbox = () => t.app.get(MailOutbox);
  const rows = () =>
    t.db.query<{
      id: string;
      kind: string;
      status: string;
      attempts: number;
      sealed: Buffer | null;
      last_error: string | null;
    }>('SELECT id, kind, status, attempts, sealed, last_error FROM mail_outbox ORDER BY id');
  const mail = (address: string, text = 'Text') => ({ kind: 'test.note', to: { address }, subject: 'Note', text });

  beforeAll(async () => {
    t = await createTestApp();
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
    await processor().settled();
    await t.db.query('DELETE FROM mail_outbox');
    t.smtp.clear();
  });

  it('should keep a confirmation the relay refused for later, sealed, and send it once when it is due', async () => {
    t.smtp.failNext(1, 421, 'Try again later');
    const booked = await t.http
      .post(`/visit-slots/${slotId}/bookings`)
      .send({ name: 'Aysel Mammadova', email: 'aysel@example.org', partySize: 2 })
      .expect(201);
    const token = new URL(booked.body.manageUrl as string).searchParams.get('token')!;
    await processor().settled();
    expect(t.smtp.to('aysel@example.org')).toHaveLength(0);

    const [waiting] = await rows();
    expect(waiting).toMatchObject({
      kind: 'visit.confirmed',
      status: 'queued',
      attempts: 1,
      last_error: expect.stringContaining('Try again later'),
    });
    // Sealed: the private link and the address are not in the table.
    const stored = waiting.sealed!.toString('latin1');
    for (const secret of [token, 'aysel@example.org', 'Aysel']) expect(stored).not.toContain(secret);

    await t.db.query(`UPDATE mail_outbox SET next_attempt_at = now() - interval '1 second'`);
    await processor().settled();
    const [received] = t.smtp.to('aysel@example.org');
    expect(t.smtp.to('aysel@example.org')).toHaveLength(1);
    expect(received.parsed.text).toContain(token);
    expect(await rows()).toEqual([]);
  });

  it('should send nothing for a transaction that rolled back', async () => {
    await expect(
      t.app.get(TransactionService).run(async (manager) => {
        await outbox().enqueue([mail('rolled-back@example.org')], manager);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.app.get(TransactionService).run((manager) => outbox().enqueue([mail('committed@example.org')], manager));
    await t.smtp.waitForMailTo('committed@example.org');
    await processor().settled();
    expect(t.smtp.received.map((received) => received.envelopeTo[0])).toEqual(['committed@example.org']);
    expect(await rows()).toEqual([]);
  });

  it('should send what a dead instance left claimed once its lease is over, and not before, and never take back its own', async () => {
    const entry = outbox().entry(mail('claimed@example.org'));
    await t.db.query(
      `INSERT INTO mail_outbox (kind, sealed, status, attempts, next_attempt_at, claimed_at, claimed_by)
       VALUES ($1, $2, 'sending', 1, now(), now() - make_interval(secs => $3), 'dead-instance'), ($1, $2, 'sending', 1, now(), now(), 'live-instance'),
              ($1, $2, 'sending', 1, now(), now() - make_interval(secs => $3), $4)`,
      [entry.kind, entry.sealed, 601, processor().instanceId],
    );
    await processor().settled();
    expect(t.smtp.to('claimed@example.org')).toHaveLength(1);
    // The live instance's row, and this instance's own (it would still be sending it), stay.
    expect((await rows()).map((row) => row.status)).toEqual(['sending', 'sending']);
  });

  it('should give up on a message that cannot be opened (altered, or sealed under another JWT_SECRET) and keep no content', async () => {
    const entry = outbox().entry(mail('altered@example.org'));
    entry.sealed[entry.sealed.length - 1] ^= 1;
    await t.db.query(`INSERT INTO mail_outbox (kind, sealed, next_attempt_at) VALUES ($1, $2, now())`, [
      entry.kind,
      entry.sealed,
    ]);
    await processor().settled();
    expect(t.smtp.received).toHaveLength(0);
    expect(await rows()).toEqual([
      expect.objectContaining({
        status: 'failed',
        sealed: null,
        last_error: expect.stringContaining('cannot be opened'),
      }),
    ]);
  });

  it('should mark a 550 as failed without retrying, keeping the reply and not the message', async () => {
    t.smtp.failNext(1, 550, 'No such user');
    await outbox().enqueue([mail('nobody@example.org')]);
    await processor().settled();
    expect(await rows()).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 1,
        sealed: null,
        last_error: expect.stringContaining('No such user'),
      }),
    ]);
  });

  it('should decide a deferred request after the answer, sealed, retried after a failure, once', async () => {
    const seen: Array<{ note: string }> = [];
    let failures = 1;
    outbox().handle<{ note: string }>('test.request', async (request) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('database briefly away');
      }
      seen.push(request);
      // A handler's mail is a row of its own, sent after the handler's transaction.
      await t.app
        .get(TransactionService)
        .run((manager) => outbox().enqueue([mail('decided@example.org', `Decided ${request.note}`)], manager));
    });
    await outbox().defer('test.request', { note: 'secret-note-42' });
    await processor().settled();
    expect(seen).toEqual([]);
    const [waiting] = await rows();
    expect(waiting).toMatchObject({
      kind: 'test.request',
      status: 'queued',
      attempts: 1,
      last_error: 'database briefly away',
    });
    expect(waiting.sealed!.toString('latin1')).not.toContain('secret-note-42');

    await t.db.query(`UPDATE mail_outbox SET next_attempt_at = now() - interval '1 second'`);
    await processor().settled();
    expect(seen).toEqual([{ note: 'secret-note-42' }]);
    expect(t.smtp.to('decided@example.org').map((received) => received.parsed.text?.trim())).toEqual([
      'Decided secret-note-42',
    ]);
    expect(await rows()).toEqual([]);
    await expect(outbox().defer('test.unknown-kind', {})).rejects.toThrow(/No handler/);
  });

  it('should round-trip a message with an attachment given as bytes', () => {
    const sealedMail = {
      ...mail('a@example.org'),
      attachments: [{ filename: 'x.ics', content: Buffer.from([0, 1, 2, 250]), contentType: 'text/calendar' }],
    };
    expect(outbox().open(outbox().seal(sealedMail))).toEqual(sealedMail);
  });

  it('should send 200 messages from two instances on one database, each once', async () => {
    const second = await createTestApp({ database: t.db, smtp: t.smtp, env: { MAILING_BATCH_SIZE: '10' } });
    try {
      const addresses = Array.from({ length: 200 }, (_, index) => `two-${index}@example.org`);
      await t.db.query(
        `INSERT INTO mail_outbox (kind, sealed, next_attempt_at) SELECT 'test.note', unnest($1::bytea[]), now()`,
        [addresses.map((address) => outbox().seal(mail(address)))],
      );
      await Promise.all([processor().settled(), second.app.get(MailOutboxProcessor).settled()]);
      expect(t.smtp.received.map((received) => received.envelopeTo[0]).sort()).toEqual([...addresses].sort());
      expect(await rows()).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
