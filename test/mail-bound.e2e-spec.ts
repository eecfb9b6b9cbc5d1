import { FixedClock } from '../src/common/clock';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { MailQueue } from '../src/mail/mail-queue.service';
import { MetricsService } from '../src/metrics/metrics.service';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * Mail the public can cause is bounded per recipient address (MAIL_RECIPIENT_HOURLY_LIMIT an
 * hour), whatever route causes it, silently: the answers stay the same, the extra mails are dropped.
 */

const NOW = new Date('2027-01-15T08:00:00Z');
const VICTIM = 'flooded@example.org';

describe('Per-recipient bound of public-triggered mail', () => {
  let t: TestApp;
  let ceremonyId: string;
  let slotId: string;
  let roleId: string;
  const settled = () => t.app.get(JobsQueue).runner.settled();
  const mailsTo = (address: string) => t.smtp.to(address);

  beforeAll(async () => {
    t = await createTestApp({
      clock: new FixedClock(NOW),
      env: { MAIL_RECIPIENT_HOURLY_LIMIT: '10', PUBLIC_RATE_LIMIT: '0' },
    });
    ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
    const [slot] = await t.db.query<{ id: string }>(
      `INSERT INTO visit_slots (ceremony_id, starts_at, ends_at, capacity) VALUES ($1, '2027-02-26T10:00:00+04:00', '2027-02-26T10:30:00+04:00', 50) RETURNING id`,
      [ceremonyId],
    );
    slotId = slot.id;
    const role = await t.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(await t.auth('organizer'))
      .send({ name: 'Carnations', capacity: 50, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    roleId = role.body.id as string;
  });
  afterAll(async () => {
    await settled();
    await t.close();
  });

  it('should mail one address 10 of 25 booking confirmations, answer every booking and cancel alike, and still mail another address', async () => {
    const answers: string[] = [];
    for (let round = 0; round < 25; round += 1) {
      const booked = await t.http
        .post(`/visit-slots/${slotId}/bookings`)
        .send({ name: 'Visitor', email: round % 2 === 0 ? VICTIM : VICTIM.toUpperCase(), partySize: 1 });
      const token = new URL(booked.body.manageUrl as string).searchParams.get('token')!;
      // The confirmation's job runs first: one whose booking is cancelled before it runs is not sent at all.
      await settled();
      const cancelled = await t.http.delete(`/bookings/manage/${token}`);
      // The shape and status of each answer, without the ids and tokens that differ anyway.
      answers.push(
        JSON.stringify({
          booked: booked.status,
          bookedKeys: Object.keys(booked.body).sort(),
          bookedStatus: booked.body.status,
          cancelled: cancelled.status,
          cancelledStatus: cancelled.body.status,
        }),
      );
    }
    await settled();
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0])).toMatchObject({
      booked: 201,
      bookedStatus: 'confirmed',
      cancelled: 200,
      cancelledStatus: 'cancelled',
    });
    expect(mailsTo(VICTIM)).toHaveLength(10);

    const [{ dropped, sealed }] = await t.db.query<{ dropped: number; sealed: number }>(
      `SELECT count(*)::int AS dropped, count(payload)::int AS sealed FROM jobs WHERE status = 'dropped'`,
    );
    expect({ dropped, sealed }).toEqual({ dropped: 15, sealed: 0 });
    const metric = await t.app.get(MetricsService).jobs.get();
    expect(metric.values.find((value) => value.labels.outcome === 'dropped')?.value).toBe(15);
    // The counter is keyed by a hash: no address in clear.
    const keys = await t.db.query<{ key: string }>(`SELECT key FROM rate_limits WHERE key LIKE 'mail-recipient:%'`);
    expect(keys).toHaveLength(1);
    expect(keys[0].key).toMatch(/^mail-recipient:[0-9a-f]{64}$/);

    await t.http
      .post(`/visit-slots/${slotId}/bookings`)
      .send({ name: 'Other', email: 'other@example.org', partySize: 1 })
      .expect(201);
    await t.smtp.waitForMailTo('other@example.org');
  });

  it('should bound the same address on every public route (subscription, volunteer sign-up) without changing their answers', async () => {
    const subscribed = await t.http.post('/subscriptions').send({ email: VICTIM, locale: 'en' });
    const fresh = await t.http.post('/subscriptions').send({ email: 'fresh-subscriber@example.org', locale: 'en' });
    expect({ status: subscribed.status, body: subscribed.body }).toEqual({ status: fresh.status, body: fresh.body });
    const signedUp = await t.http
      .post('/volunteers')
      .send({ ceremonyId, name: 'Volunteer', email: VICTIM, roleIds: [roleId], consentReminders: false, locale: 'en' });
    const other = await t.http.post('/volunteers').send({
      ceremonyId,
      name: 'Volunteer',
      email: 'fresh-volunteer@example.org',
      roleIds: [roleId],
      consentReminders: false,
      locale: 'en',
    });
    expect({ status: signedUp.status, body: signedUp.body }).toEqual({ status: other.status, body: other.body });
    await t.smtp.waitForMailTo('fresh-subscriber@example.org');
    await t.smtp.waitForMailTo('fresh-volunteer@example.org');
    await settled();
    expect(mailsTo(VICTIM)).toHaveLength(10);
  });

  it('should count every mail of one claimed batch, so 14 mails to one address written at once give 10, and 3 to another give 3', async () => {
    const mail = (address: string, index: number) => ({
      kind: 'visit.confirmed',
      to: { address },
      subject: `Batch ${index}`,
      text: 'Batch',
    });
    const mails = [
      ...Array.from({ length: 14 }, (_, index) => mail('batch@example.org', index)),
      ...Array.from({ length: 3 }, (_, index) => mail('batch-other@example.org', index)),
    ];
    await t.app.get(MailQueue).enqueue(mails);
    await settled();
    expect(mailsTo('batch@example.org')).toHaveLength(10);
    expect(mailsTo('batch-other@example.org')).toHaveLength(3);
  });

  it('should not bound mail an organizer causes', async () => {
    const [volunteer] = await t.db.query<{ id: string }>(`SELECT id FROM volunteers WHERE email = $1`, [VICTIM]);
    await t.http
      .patch(`/volunteers/${volunteer.id}`)
      .set(await t.auth('organizer'))
      .send({ status: 'confirmed' })
      .expect(200);
    await t.smtp.waitFor(
      (mails) => mails.filter((mail) => mail.envelopeTo.includes(VICTIM)).length === 11,
      10_000,
      'the organizer-caused mail',
    );
  });
});
