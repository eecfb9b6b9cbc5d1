import { FixedClock } from '../src/common/clock';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { SubscriptionsService } from '../src/subscriptions/subscriptions.service';
import { VolunteerUpkeepService } from '../src/volunteers/volunteer-upkeep.service';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';
import type { ReceivedMail } from './support/smtp-sink';

const T0 = new Date('2027-01-20T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const VOLUNTEER_LINK = /https:\/\/commemoration\.test\/p\/volunteer\/confirm\?token=([A-Za-z0-9_-]{43})/;
const SUBSCRIPTION_LINK = /https:\/\/commemoration\.test\/subscriptions\/confirm\?token=([A-Za-z0-9_-]{43})/;

interface StoredVolunteer {
  name: string;
  phone: string | null;
  locale: string | null;
  consent_reminders: boolean;
  status: string;
  roles: string[];
}

/** Consent only from the owner of the address: a sign-up for a known address changes nothing until its own mailed link is confirmed. */
describe('Consent from the owner of the address', () => {
  let t: TestApp;
  let clock: FixedClock;
  let ceremonyId: string;
  let first: { id: string };
  let second: { id: string };
  let counter = 0;

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({ clock, env: { SIGNUP_RESEND_MINUTES: '10', SIGNUP_EXPIRY_HOURS: '72' } });
    ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
    const organizer = await t.auth('organizer');
    const role = async (name: string, shiftStart: string, shiftEnd: string) =>
      (
        await t.http
          .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
          .set(organizer)
          .send({ name, capacity: 5, shiftStart, shiftEnd })
          .expect(201)
      ).body as { id: string };
    first = await role('Carnations', '09:00', '10:00');
    second = await role('Queue stewards', '11:00', '12:00');
  });
  afterAll(async () => {
    await t.app.get(JobsQueue).runner.settled();
    await t.close();
  });

  beforeEach(() => clock.set(T0));

  const settled = () => t.app.get(JobsQueue).runner.settled();
  const address = (prefix: string) => `${prefix}-${(counter += 1)}@example.org`;

  async function links(email: string, pattern: RegExp, count: number): Promise<string[]> {
    const withLink = (mails: ReceivedMail[]) =>
      mails.filter((mail) => mail.envelopeTo.includes(email) && pattern.test(mail.parsed.text ?? ''));
    await t.smtp.waitFor(
      (mails) => withLink(mails).length >= count,
      15_000,
      `${count} confirmation mail(s) to ${email}`,
    );
    return withLink(t.smtp.received).map((mail) => pattern.exec(mail.parsed.text ?? '')![1]);
  }

  describe('volunteers', () => {
    const owner = { name: 'Leyla Aliyeva', phone: '+994 50 111 11 11', locale: 'en', consentReminders: false };
    const stranger = { name: 'Someone Else', phone: '+994 55 999 99 99', locale: 'ru', consentReminders: true };

    function signUp(email: string, details: typeof owner, roleIds: string[]) {
      return t.http.post('/volunteers').send({ ceremonyId, email, roleIds, ...details });
    }

    async function stored(email: string): Promise<StoredVolunteer> {
      const [row] = await t.db.query<StoredVolunteer>(
        `SELECT v.name, v.phone, v.locale, v.consent_reminders, v.status,
                coalesce(array_agg(r.name ORDER BY r.name) FILTER (WHERE r.id IS NOT NULL), '{}') AS roles
           FROM volunteers v LEFT JOIN volunteer_assignments a ON a.volunteer_id = v.id LEFT JOIN volunteer_roles r ON r.id = a.role_id
          WHERE lower(v.email) = lower($1) GROUP BY v.id`,
        [email],
      );
      return row;
    }

    const filled = async () =>
      (
        await t.db.query<{ filled: number }>(
          `SELECT coalesce(sum(filled), 0)::int AS filled FROM volunteer_roles WHERE ceremony_id = $1`,
          [ceremonyId],
        )
      )[0].filled;

    /** The owner signs up, then a stranger signs the same address up again with other details. */
    async function ownerThenStranger(email: string): Promise<{ ownerLink: string; strangerLink: string }> {
      await signUp(email, owner, [first.id]).expect(202);
      await links(email, VOLUNTEER_LINK, 1);
      clock.advance(MINUTE);
      await signUp(email.toUpperCase(), stranger, [second.id]).expect(202);
      const [ownerLink, strangerLink] = await links(email, VOLUNTEER_LINK, 2);
      return { ownerLink, strangerLink };
    }

    it('should change nothing stored and count nothing when a stranger signs up a pending address again', async () => {
      const email = address('pending');
      const filledBefore = await filled();
      await signUp(email, owner, [first.id]).expect(202);
      await links(email, VOLUNTEER_LINK, 1);
      const before = await stored(email);
      clock.advance(MINUTE);
      const answer = await signUp(email, stranger, [second.id]).expect(202);
      expect(answer.body.status).toBe('accepted');
      await links(email, VOLUNTEER_LINK, 2);
      await settled();
      expect(await stored(email)).toEqual(before);
      expect(before).toEqual({
        name: 'Leyla Aliyeva',
        phone: '+994 50 111 11 11',
        locale: 'en',
        consent_reminders: false,
        status: 'pending',
        roles: ['Carnations'],
      });
      expect(await filled()).toBe(filledBefore);
      // What waits for the owner's decision is sealed: neither the name nor the phone is readable in the database.
      const [waiting] = await t.db.query<{ sealed: Buffer }>(
        `SELECT r.sealed FROM volunteer_signup_requests r JOIN volunteers v ON v.id = r.volunteer_id WHERE lower(v.email) = lower($1)`,
        [email],
      );
      expect(waiting.sealed.toString('latin1')).not.toContain('Someone Else');
      expect(waiting.sealed.toString('latin1')).not.toContain('999 99 99');
    });

    it('should show in the mail of a re-sign-up the name, roles and consent its link would confirm', async () => {
      const email = address('shown');
      await ownerThenStranger(email);
      const [, mail] = t.smtp.to(email).filter((received) => VOLUNTEER_LINK.test(received.parsed.text ?? ''));
      const text = mail.parsed.text ?? '';
      expect(text).toContain('Someone Else');
      expect(text).toContain('+994 55 999 99 99');
      expect(text).toContain('Queue stewards');
      expect(text).not.toContain('Carnations');
      expect(text).toContain('- Письма-напоминания: да');
    });

    it('should confirm the first details when the owner confirms the first link, and then refuse the second link', async () => {
      const email = address('first');
      const { ownerLink, strangerLink } = await ownerThenStranger(email);
      const confirmed = await t.http.post('/volunteers/confirm').send({ token: ownerLink }).expect(200);
      expect(confirmed.body).toMatchObject({
        status: 'confirmed',
        name: 'Leyla Aliyeva',
        phone: '+994 50 111 11 11',
        consentReminders: false,
        manageToken: ownerLink,
      });
      expect(await stored(email)).toEqual({
        name: 'Leyla Aliyeva',
        phone: '+994 50 111 11 11',
        locale: 'en',
        consent_reminders: false,
        status: 'confirmed',
        roles: ['Carnations'],
      });
      await t.http.post('/volunteers/confirm').send({ token: strangerLink }).expect(404);
      expect(await stored(email)).toMatchObject({
        name: 'Leyla Aliyeva',
        consent_reminders: false,
        roles: ['Carnations'],
      });
      expect(
        await t.db.query(
          `SELECT 1 FROM volunteer_signup_requests r JOIN volunteers v ON v.id = r.volunteer_id WHERE lower(v.email) = lower($1)`,
          [email],
        ),
      ).toHaveLength(0);
    });

    it('should confirm exactly the second details when the owner confirms the second link, which then manages the sign-up', async () => {
      const email = address('second');
      const { ownerLink, strangerLink } = await ownerThenStranger(email);
      const confirmed = await t.http.post('/volunteers/confirm').send({ token: strangerLink }).expect(200);
      expect(confirmed.body).toMatchObject({
        status: 'confirmed',
        name: 'Someone Else',
        phone: '+994 55 999 99 99',
        locale: 'ru',
        consentReminders: true,
        manageToken: strangerLink,
      });
      expect(await stored(email)).toEqual({
        name: 'Someone Else',
        phone: '+994 55 999 99 99',
        locale: 'ru',
        consent_reminders: true,
        status: 'confirmed',
        roles: ['Queue stewards'],
      });
      await t.http.post('/volunteers/confirm').send({ token: strangerLink }).expect(200);
      await t.http.get('/volunteers/me').set('X-Manage-Token', strangerLink).expect(200);
      await t.http.post('/volunteers/confirm').send({ token: ownerLink }).expect(404);
      expect(await stored(email)).toMatchObject({ name: 'Someone Else', roles: ['Queue stewards'] });
    });

    it('should still change nothing and answer the same 202 for a confirmed volunteer', async () => {
      const email = address('confirmed');
      await signUp(email, owner, [first.id]).expect(202);
      const [link] = await links(email, VOLUNTEER_LINK, 1);
      await t.http.post('/volunteers/confirm').send({ token: link }).expect(200);
      const before = await stored(email);
      clock.advance(HOUR);
      const answer = await signUp(email, stranger, [second.id]).expect(202);
      expect(answer.body.status).toBe('accepted');
      await settled();
      expect(await stored(email)).toEqual(before);
      expect(t.smtp.to(email).filter((mail) => VOLUNTEER_LINK.test(mail.parsed.text ?? ''))).toHaveLength(1);
    });

    it('should erase the waiting re-sign-up with the volunteer when the owner withdraws', async () => {
      const email = address('withdraw');
      const { ownerLink, strangerLink } = await ownerThenStranger(email);
      const [{ id }] = await t.db.query<{ id: string }>(`SELECT id FROM volunteers WHERE email = $1`, [email]);
      expect(await t.db.query(`SELECT 1 FROM volunteer_signup_requests WHERE volunteer_id = $1`, [id])).toHaveLength(1);
      await t.http.delete('/volunteers/me').set('X-Manage-Token', ownerLink).expect(204);
      expect(await t.db.query(`SELECT 1 FROM volunteer_signup_requests WHERE volunteer_id = $1`, [id])).toHaveLength(0);
      await t.http.post('/volunteers/confirm').send({ token: strangerLink }).expect(404);
    });

    it('should keep a pending sign-up while a later link works, and purge both once every link expired', async () => {
      const email = address('expiry');
      const { ownerLink, strangerLink } = await ownerThenStranger(email);
      const service = t.app.get(VolunteerUpkeepService);
      // The first link expires 72 h after it was sent; the second one a minute later.
      await service.purgeExpiredSignups(new Date(T0.getTime() + 72 * HOUR + 30_000));
      clock.set(new Date(T0.getTime() + 72 * HOUR + 30_000));
      await t.http.post('/volunteers/confirm').send({ token: ownerLink }).expect(404);
      expect(await stored(email)).toMatchObject({ status: 'pending', name: 'Leyla Aliyeva' });
      await service.purgeExpiredSignups(new Date(T0.getTime() + 72 * HOUR + 2 * MINUTE));
      expect(await stored(email)).toBeUndefined();
      await t.http.post('/volunteers/confirm').send({ token: strangerLink }).expect(404);
    });
  });

  describe('subscriptions', () => {
    async function storedSubscriber(email: string): Promise<{ name: string | null; locale: string; status: string }> {
      const [row] = await t.db.query<{ name: string | null; locale: string; status: string }>(
        `SELECT name, locale, status FROM subscribers WHERE email = $1`,
        [email],
      );
      return row;
    }

    async function ownerThenStranger(email: string): Promise<{ ownerLink: string; strangerLink: string }> {
      await t.http.post('/subscriptions').send({ email, name: 'Leyla', locale: 'az' }).expect(202);
      await links(email, SUBSCRIPTION_LINK, 1);
      clock.advance(11 * MINUTE);
      await t.http.post('/subscriptions').send({ email, name: 'Someone Else', locale: 'ru' }).expect(202);
      const [ownerLink, strangerLink] = await links(email, SUBSCRIPTION_LINK, 2);
      return { ownerLink, strangerLink };
    }

    it('should change nothing stored when a stranger subscribes a pending address again', async () => {
      const email = address('sub-pending');
      await ownerThenStranger(email);
      await settled();
      expect(await storedSubscriber(email)).toEqual({ name: 'Leyla', locale: 'az', status: 'pending' });
    });

    it('should confirm the first name and language with the first link, and then refuse the second link', async () => {
      const email = address('sub-first');
      const { ownerLink, strangerLink } = await ownerThenStranger(email);
      await t.http.post('/subscriptions/confirm').send({ token: ownerLink }).expect(200, { status: 'confirmed' });
      expect(await storedSubscriber(email)).toEqual({ name: 'Leyla', locale: 'az', status: 'confirmed' });
      await t.http.post('/subscriptions/confirm').send({ token: strangerLink }).expect(404);
      expect(await storedSubscriber(email)).toEqual({ name: 'Leyla', locale: 'az', status: 'confirmed' });
    });

    it('should confirm exactly the second name and language with the second link', async () => {
      const email = address('sub-second');
      const { ownerLink, strangerLink } = await ownerThenStranger(email);
      const page = await t.http.get(`/subscriptions/confirm?token=${strangerLink}`).expect(200);
      expect(page.text).toContain('<html lang="ru">');
      await t.http.post('/subscriptions/confirm').send({ token: strangerLink }).expect(200, { status: 'confirmed' });
      await t.http.post('/subscriptions/confirm').send({ token: strangerLink }).expect(200, { status: 'confirmed' });
      expect(await storedSubscriber(email)).toEqual({ name: 'Someone Else', locale: 'ru', status: 'confirmed' });
      await t.http.post('/subscriptions/confirm').send({ token: ownerLink }).expect(404);
    });

    it('should keep an unsubscribed address unsubscribed until the owner confirms a new link', async () => {
      const email = address('sub-left');
      await t.db.query(
        `INSERT INTO subscribers (email, name, locale, status, unsubscribed_at) VALUES ($1, 'Leyla', 'az', 'unsubscribed', now())`,
        [email],
      );
      await t.db.query(`INSERT INTO suppressions (email, reason, source) VALUES ($1, 'unsubscribed', 'test')`, [email]);
      await t.http.post('/subscriptions').send({ email, name: 'Someone Else', locale: 'ru' }).expect(202);
      const [link] = await links(email, SUBSCRIPTION_LINK, 1);
      expect(await storedSubscriber(email)).toEqual({ name: 'Leyla', locale: 'az', status: 'unsubscribed' });
      await t.http.post('/subscriptions/confirm').send({ token: link }).expect(200);
      expect(await storedSubscriber(email)).toEqual({ name: 'Someone Else', locale: 'ru', status: 'confirmed' });
      expect(await t.db.query(`SELECT 1 FROM suppressions WHERE email = $1`, [email])).toHaveLength(0);
    });

    it('should purge a re-subscription with its link once it expired', async () => {
      const email = address('sub-expiry');
      const { strangerLink } = await ownerThenStranger(email);
      clock.set(new Date(T0.getTime() + 73 * HOUR));
      await t.app.get(SubscriptionsService).purgeExpired();
      expect(await storedSubscriber(email)).toBeUndefined();
      expect(await t.db.query(`SELECT 1 FROM subscription_requests`)).toHaveLength(0);
      await t.http.post('/subscriptions/confirm').send({ token: strangerLink }).expect(404);
    });
  });
});
