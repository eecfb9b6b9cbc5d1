import { randomUUID } from 'node:crypto';
import { JobHandlers } from '../src/jobs/job-handlers';
import { parse } from 'csv-parse/sync';
import { CeremonyDependents } from '../src/ceremonies/ceremony-dependents';
import type { Ceremony } from '../src/ceremonies/ceremony.entity';
import { FixedClock } from '../src/common/clock';
import { hashToken } from '../src/common/tokens';
import { TransactionService } from '../src/database/transaction.service';
import { Jobs } from '../src/jobs/jobs.service';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { SignUpRequest, VOLUNTEER_SIGN_UP, VolunteerSignUpService } from '../src/volunteers/volunteer-sign-up.service';
import { VolunteerUpkeepService } from '../src/volunteers/volunteer-upkeep.service';
import { createTestApp, TestApp } from './support/app';
import { CeremonyFixture, insertCeremony } from './support/factories';
import { ReceivedMail } from './support/smtp-sink';

const T0 = new Date('2027-01-20T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CONFIRM_LINK = /https:\/\/commemoration\.test\/p\/volunteer\/confirm\?token=([A-Za-z0-9_-]{43})/;
const MANAGE_LINK = /https:\/\/commemoration\.test\/p\/volunteer\/me\?token=([A-Za-z0-9_-]{43})/;

interface RoleBody {
  name: string;
  capacity: number;
  shiftStart: string;
  shiftEnd: string;
  description?: string;
  requiredLanguages?: string[];
}

describe('Volunteers', () => {
  let t: TestApp;
  let clock: FixedClock;
  let edition: CeremonyFixture;
  let counter = 0;

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({
      clock,
      env: { SIGNUP_RESEND_MINUTES: '10', SIGNUP_EXPIRY_HOURS: '72', DATABASE_POOL_SIZE: '12' },
    });
    edition = await insertCeremony(t.db, { year: 2027 });
  });
  afterAll(async () => {
    await t.app.get(JobsQueue).runner.settled();
    await t.close();
  });

  const settled = () => t.app.get(JobsQueue).runner.settled();
  const unique = (prefix: string) => `${prefix}-${(counter += 1)}-${Date.now().toString(36)}`;

  async function createRole(body: RoleBody, ceremonyId = edition.id): Promise<{ id: string; name: string }> {
    const response = await t.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(await t.auth('organizer'))
      .send(body);
    expect(response.status).toBe(201);
    return response.body;
  }

  async function role(id: string, ceremonyId = edition.id) {
    const response = await t.http.get(`/ceremonies/${ceremonyId}/volunteer-roles`).expect(200);
    return (
      response.body as Array<{ id: string; capacity: number; filled: number; remaining: number; waitlisted: number }>
    ).find((candidate) => candidate.id === id)!;
  }

  function signUp(overrides: Record<string, unknown> & { email: string; roleIds: string[] }) {
    return t.http
      .post('/volunteers')
      .send({ ceremonyId: edition.id, name: 'Leyla Aliyeva', consentReminders: false, locale: 'en', ...overrides });
  }

  async function mailsTo(address: string, count: number, subject?: RegExp): Promise<ReceivedMail[]> {
    await t.smtp.waitFor(
      (mails) =>
        mails.filter(
          (mail) => mail.envelopeTo.includes(address) && (!subject || subject.test(mail.parsed.subject ?? '')),
        ).length >= count,
      15_000,
      `${count} mail(s) to ${address}`,
    );
    return t.smtp.to(address).filter((mail) => !subject || subject.test(mail.parsed.subject ?? ''));
  }

  async function confirmTokenOf(address: string, nth = 1): Promise<string> {
    await t.smtp.waitFor(
      (mails) =>
        mails.filter((mail) => mail.envelopeTo.includes(address) && CONFIRM_LINK.test(mail.parsed.text ?? '')).length >=
        nth,
      15_000,
      `confirmation mail ${nth} to ${address}`,
    );
    const mails = t.smtp.to(address).filter((mail) => CONFIRM_LINK.test(mail.parsed.text ?? ''));
    const match = CONFIRM_LINK.exec(mails[nth - 1].parsed.text ?? '');
    expect(match).not.toBeNull();
    return match![1];
  }

  /** Signs up and confirms through the mailed link; returns the private token. */
  async function volunteer(email: string, roleIds: string[], extra: Record<string, unknown> = {}): Promise<string> {
    await signUp({ email, roleIds, ...extra }).expect(202);
    const token = await confirmTokenOf(email);
    await t.http.post('/volunteers/confirm').send({ token }).expect(200);
    return token;
  }

  const me = (token: string) => t.http.get('/volunteers/me').set('X-Manage-Token', token);

  it('should run the whole double opt-in: nothing counted until the mailed link is confirmed, then a place and a manage link', async () => {
    const carnations = await createRole({
      name: 'Carnations',
      capacity: 5,
      shiftStart: '09:00',
      shiftEnd: '12:00',
      description: 'Hand out carnations at the entrance',
      requiredLanguages: ['az'],
    });
    const email = `${unique('leyla')}@example.org`;

    const accepted = await signUp({
      email,
      roleIds: [carnations.id],
      phone: '+994 50 123 45 67',
      languages: ['az', 'en'],
      note: 'First time',
    }).expect(202);
    expect(accepted.body.status).toBe('accepted');
    const [request] = await mailsTo(email, 1);
    expect(request.parsed.subject).toBe(`Please confirm your volunteer sign-up – Khojaly Remembrance Day 2027`);
    expect(request.parsed.headers.get('content-language')).toBe('en');
    expect(request.parsed.text).toContain('- Carnations: February 26, 2027, 09:00 (Asia/Baku, GMT+4) – 12:00');
    expect(await role(carnations.id)).toMatchObject({ capacity: 5, filled: 0, remaining: 5, waitlisted: 0 });
    const [stored] = await t.db.query<{ status: string; token_hash: string }>(
      'SELECT status, token_hash FROM volunteers WHERE email = $1',
      [email],
    );
    expect(stored.status).toBe('pending');

    const token = CONFIRM_LINK.exec(request.parsed.text ?? '')![1];
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.token_hash).not.toContain(token);
    const confirmed = await t.http.post('/volunteers/confirm').send({ token }).expect(200);
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      email,
      manageToken: token,
      manageUrl: `https://commemoration.test/p/volunteer/me?token=${token}`,
    });
    expect(confirmed.body.roles).toEqual([
      {
        roleId: carnations.id,
        name: 'Carnations',
        shiftStart: '09:00',
        shiftEnd: '12:00',
        state: 'assigned',
        waitlistRank: null,
      },
    ]);
    expect(await role(carnations.id)).toMatchObject({ filled: 1, remaining: 4 });

    const [confirmation] = await mailsTo(email, 1, /is confirmed/);
    const manageToken = MANAGE_LINK.exec(confirmation.parsed.text ?? '')![1];
    const own = await me(manageToken).expect(200);
    expect(own.body).toMatchObject({
      id: confirmed.body.id,
      phone: '+994 50 123 45 67',
      languages: ['az', 'en'],
      note: 'First time',
      consentReminders: false,
    });

    // Confirming again changes nothing and sends nothing.
    const again = await t.http.post('/volunteers/confirm').send({ token }).expect(200);
    expect(again.body.id).toBe(confirmed.body.id);
    await settled();
    expect(t.smtp.to(email)).toHaveLength(2);
    expect(await role(carnations.id)).toMatchObject({ filled: 1 });
  });

  it('should answer a known address exactly like a new one and re-send at most once per window', async () => {
    const queue = await createRole({ name: 'Queue stewards', capacity: 10, shiftStart: '08:00', shiftEnd: '10:00' });
    const email = `${unique('resend')}@example.org`;
    clock.set(T0);
    const first = await signUp({ email, roleIds: [queue.id] }).expect(202);
    await mailsTo(email, 1);
    clock.advance(1 * MINUTE);
    const second = await signUp({ email: email.toUpperCase(), roleIds: [queue.id], name: 'Leyla A.' }).expect(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers['content-length']).toBe(first.headers['content-length']);
    await mailsTo(email, 2);
    clock.advance(2 * MINUTE);
    await signUp({ email, roleIds: [queue.id] }).expect(202);
    clock.advance(5 * MINUTE);
    await signUp({ email, roleIds: [queue.id] }).expect(202);
    await settled();
    expect(t.smtp.to(email)).toHaveLength(2);
    // A re-sign-up changes nothing stored until its own link is confirmed (test/consent.e2e-spec.ts).
    const rows = await t.db.query<{ name: string }>('SELECT name FROM volunteers WHERE lower(email) = lower($1)', [
      email,
    ]);
    expect(rows).toEqual([{ name: 'Leyla Aliyeva' }]);

    clock.advance(3 * MINUTE); // 10 minutes after the re-send
    await signUp({ email, roleIds: [queue.id] }).expect(202);
    await mailsTo(email, 3);
    // Every link works until one of them is confirmed; then the others stop working.
    await t.http
      .post('/volunteers/confirm')
      .send({ token: await confirmTokenOf(email, 3) })
      .expect(200);
    await t.http
      .post('/volunteers/confirm')
      .send({ token: await confirmTokenOf(email, 1) })
      .expect(404);
    await t.http
      .post('/volunteers/confirm')
      .send({ token: await confirmTokenOf(email, 2) })
      .expect(404);
    clock.set(T0);
  });

  it('should drop a sign-up whose role was removed or changed, or whose edition was hidden, before it was decided', async () => {
    const stewards = await createRole({
      name: 'Entrance stewards',
      capacity: 5,
      shiftStart: '08:00',
      shiftEnd: '09:00',
    });
    // Touching the stewards' shift at its end, and overlapping it by a minute.
    const touching = await createRole({ name: 'Coat check', capacity: 5, shiftStart: '09:00', shiftEnd: '10:00' });
    const overlapping = await createRole({ name: 'Programmes', capacity: 5, shiftStart: '07:00', shiftEnd: '08:01' });
    const request = (email: string, overrides: Partial<SignUpRequest>): SignUpRequest => ({
      ceremonyId: edition.id,
      roleIds: [stewards.id],
      email,
      name: 'Late Request',
      phone: null,
      languages: null,
      note: null,
      locale: 'en',
      consentReminders: false,
      requestedAt: clock.now().toISOString(),
      ...overrides,
    });
    const removedRole = `${unique('removed-role')}@example.org`;
    const hiddenEdition = `${unique('hidden-edition')}@example.org`;
    const kept = `${unique('kept')}@example.org`;
    const clashing = `${unique('clashing')}@example.org`;
    const adjacent = `${unique('adjacent')}@example.org`;
    // Written as the answer writes them, with what changed between answer and decision.
    const jobs = t.app.get(Jobs);
    await jobs.enqueue(VOLUNTEER_SIGN_UP, [request(clashing, { roleIds: [stewards.id, overlapping.id] })]);
    await jobs.enqueue(VOLUNTEER_SIGN_UP, [request(adjacent, { roleIds: [touching.id, stewards.id] })]);
    await jobs.enqueue(VOLUNTEER_SIGN_UP, [request(removedRole, { roleIds: [stewards.id, randomUUID()] })]);
    await jobs.enqueue(VOLUNTEER_SIGN_UP, [
      request(hiddenEdition, { ceremonyId: (await insertCeremony(t.db, { year: 2035, status: 'draft' })).id }),
    ]);
    await jobs.enqueue(VOLUNTEER_SIGN_UP, [request(kept, {})]);
    await settled();

    const rows = await t.db.query<{ email: string }>(
      'SELECT email FROM volunteers WHERE email = ANY($1) ORDER BY email',
      [[removedRole, hiddenEdition, kept, clashing, adjacent]],
    );
    expect(rows).toEqual([{ email: adjacent }, { email: kept }]);
    expect(t.smtp.to(clashing)).toHaveLength(0);
    expect(t.smtp.to(adjacent)).toHaveLength(1);
    expect(t.smtp.to(removedRole)).toHaveLength(0);
    expect(t.smtp.to(hiddenEdition)).toHaveLength(0);
    expect(t.smtp.to(kept)).toHaveLength(1);
    // Dropped, not left to be retried.
    expect(await t.db.query(`SELECT id FROM jobs WHERE kind = 'volunteer.sign-up'`)).toEqual([]);
  });

  it('should decide a sign-up once and mail the same link again when its job runs again after a failed send', async () => {
    const bearers = await createRole({ name: 'Wreath bearers', capacity: 5, shiftStart: '15:00', shiftEnd: '16:00' });
    const email = `${unique('rerun')}@example.org`;
    const stored = () =>
      t.db.query<{ token_hash: string; resent: boolean; roles: number; requests: string[] }>(
        `SELECT v.token_hash, v.confirmation_resent_at IS NOT NULL AS resent,
                (SELECT count(*)::int FROM volunteer_assignments a WHERE a.volunteer_id = v.id) AS roles,
                ARRAY(SELECT r.token_hash FROM volunteer_signup_requests r WHERE r.volunteer_id = v.id) AS requests
           FROM volunteers v WHERE lower(v.email) = lower($1)`,
        [email],
      );
    /** The sign-up's job failed its send: it waits to be retried; this makes it due now. */
    async function retryFailedJob() {
      const waiting = await t.db.query<{ attempts: number; last_error: string }>(
        `SELECT attempts, last_error FROM jobs WHERE kind = 'volunteer.sign-up' AND status = 'queued'`,
      );
      expect(waiting).toEqual([{ attempts: 1, last_error: expect.stringContaining('Try again later') }]);
      await t.db.query(`UPDATE jobs SET run_at = $1 WHERE kind = 'volunteer.sign-up' AND status = 'queued'`, [
        new Date(clock.now().getTime() - 1000),
      ]);
      await settled();
    }

    t.smtp.failNext(1, 421, 'Try again later');
    await signUp({ email, roleIds: [bearers.id] }).expect(202);
    await settled();
    expect(t.smtp.to(email)).toHaveLength(0);
    // Decided before the send failed: the volunteer and its role exist once.
    const [created] = await stored();
    expect(created).toEqual({ token_hash: expect.any(String), resent: false, roles: 1, requests: [] });
    await retryFailedJob();
    const first = await confirmTokenOf(email);
    expect(t.smtp.to(email)).toHaveLength(1);
    // The run again changed nothing: the mailed link is the one its decision stored.
    expect(await stored()).toEqual([{ ...created, token_hash: hashToken(first) }]);

    // A repeat of the address: its re-send is decided once too, with a link of its own.
    t.smtp.failNext(1, 421, 'Try again later');
    await signUp({ email: email.toUpperCase(), roleIds: [bearers.id], name: 'Second Request' }).expect(202);
    await settled();
    expect(t.smtp.to(email)).toHaveLength(1);
    const [resent] = await stored();
    expect(resent).toEqual({ ...created, token_hash: hashToken(first), resent: true, requests: [expect.any(String)] });
    await retryFailedJob();
    const second = await confirmTokenOf(email, 2);
    expect(second).not.toBe(first);
    expect(await stored()).toEqual([{ ...resent, requests: [hashToken(second)] }]);
    expect(await t.db.query(`SELECT id FROM jobs WHERE kind = 'volunteer.sign-up'`)).toEqual([]);
  });

  it('should answer each decided sign-up with its outcome instead of throwing for an expected case', async () => {
    const ushers = await createRole({ name: 'Ushers', capacity: 5, shiftStart: '13:00', shiftEnd: '14:00' });
    const sut = t.app.get(VolunteerSignUpService);
    const email = `${unique('outcome')}@example.org`;
    const request: SignUpRequest = {
      ceremonyId: edition.id,
      roleIds: [ushers.id],
      email,
      name: 'Outcome Check',
      phone: null,
      languages: null,
      note: null,
      locale: 'en',
      consentReminders: false,
      requestedAt: clock.now().toISOString(),
    };

    await expect(sut.decideSignUp({ ...request, roleIds: [ushers.id, randomUUID()] })).resolves.toBe('dropped');
    await expect(sut.decideSignUp({ ...request, ceremonyId: randomUUID() })).resolves.toBe('dropped');
    await expect(sut.decideSignUp(request)).resolves.toBe('created');
    await expect(sut.decideSignUp(request)).resolves.toBe('resent');
    // The second re-send within the window sends nothing.
    await expect(sut.decideSignUp(request)).resolves.toBe('unchanged');
  });

  it('should refuse overlapping shifts with a 400 that names both roles', async () => {
    const greeting = await createRole({ name: 'Greeting', capacity: 5, shiftStart: '09:00', shiftEnd: '11:00' });
    const interpreting = await createRole({
      name: 'Interpreting',
      capacity: 5,
      shiftStart: '10:30',
      shiftEnd: '13:00',
    });
    const email = `${unique('clash')}@example.org`;
    const response = await signUp({ email, roleIds: [greeting.id, interpreting.id] }).expect(400);
    expect(response.body.message).toEqual([expect.stringContaining('"Greeting" (09:00-11:00)')]);
    expect(response.body.message[0]).toContain('"Interpreting" (10:30-13:00)');
    await settled();
    expect(t.smtp.to(email)).toHaveLength(0);
    expect(await t.db.query('SELECT id FROM volunteers WHERE email = $1', [email])).toHaveLength(0);
  });

  it('should reject a sign-up without an explicit consent answer, naming the field', async () => {
    const response = await t.http
      .post('/volunteers')
      .send({ ceremonyId: edition.id, name: 'X', email: 'x@example.org', roleIds: [] })
      .expect(400);
    expect(response.body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(/^roleIds/), expect.stringMatching(/^consentReminders/)]),
    );
    const stranger = '00000000-0000-4000-8000-000000000000';
    const unknownRole = await signUp({ email: 'x@example.org', roleIds: [stranger], consentReminders: 'yes' }).expect(
      400,
    );
    expect(unknownRole.body.message).toEqual(['consentReminders must be a boolean value']);
    const foreignRole = await signUp({ email: 'x@example.org', roleIds: [stranger] }).expect(400);
    expect(foreignRole.body.message).toEqual([`roleIds must be roles of this edition; unknown: ${stranger}`]);
    await signUp({ ceremonyId: stranger, email: 'x@example.org', roleIds: [stranger] }).expect(404);
  });

  it('should waitlist in confirmation order and promote the earliest when a place frees', async () => {
    const firstAid = await createRole({ name: 'First aid', capacity: 1, shiftStart: '14:00', shiftEnd: '16:00' });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((letter) => `${unique(`wait-${letter}`)}@example.org`);
    const tokenA = await volunteer(a, [firstAid.id]);
    const tokenB = await volunteer(b, [firstAid.id], { locale: 'ru' });
    const tokenC = await volunteer(c, [firstAid.id]);
    const tokenD = await volunteer(d, [firstAid.id]);
    expect((await me(tokenB).expect(200)).body.roles[0]).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
    expect((await me(tokenC).expect(200)).body.roles[0]).toMatchObject({ state: 'waitlisted', waitlistRank: 2 });
    expect(await role(firstAid.id)).toMatchObject({ filled: 1, remaining: 0, waitlisted: 3 });
    const [waitlistedMail] = await mailsTo(b, 1, /лист/);
    expect(waitlistedMail.parsed.subject).toBe('Вы в листе ожидания волонтёров – Khojaly Remembrance Day 2027');
    expect(waitlistedMail.parsed.text).toContain('26 февраля 2027, 14:00 (Asia/Baku, GMT+4) – 16:00');

    await t.http.delete('/volunteers/me').set('X-Manage-Token', tokenA).expect(204);
    expect((await me(tokenB).expect(200)).body.roles[0]).toMatchObject({ state: 'assigned', waitlistRank: null });
    expect((await me(tokenC).expect(200)).body.roles[0]).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
    const [promotedMail] = await mailsTo(b, 1, /закреплено место/);
    expect(promotedMail.parsed.text).toContain('First aid: 26 февраля 2027, 14:00 (Asia/Baku, GMT+4) – 16:00');
    await mailsTo(a, 1, /withdrawn/);

    // B leaves the role through self-service: C moves up.
    const other = await createRole({ name: 'Cloakroom', capacity: 3, shiftStart: '16:00', shiftEnd: '18:00' });
    const changed = await t.http
      .patch('/volunteers/me')
      .set('X-Manage-Token', tokenB)
      .send({ roleIds: [other.id] })
      .expect(200);
    expect(changed.body.roles).toEqual([expect.objectContaining({ roleId: other.id, state: 'assigned' })]);
    expect((await me(tokenC).expect(200)).body.roles[0]).toMatchObject({ state: 'assigned' });
    await mailsTo(c, 1, /place is now yours/);

    // Raising the capacity promotes the next one at once.
    await t.http
      .patch(`/volunteer-roles/${firstAid.id}`)
      .set(await t.auth('organizer'))
      .send({ capacity: 2 })
      .expect(200);
    expect((await me(tokenD).expect(200)).body.roles[0]).toMatchObject({ state: 'assigned' });
    expect(await role(firstAid.id)).toMatchObject({ filled: 2, remaining: 0, waitlisted: 0 });
  });

  it('should pass over a waitlisted volunteer whose other shift now overlaps and promote the next one', async () => {
    const morning = await createRole({ name: 'Wreaths', capacity: 1, shiftStart: '09:00', shiftEnd: '11:00' });
    const late = await createRole({ name: 'Programme leaflets', capacity: 5, shiftStart: '11:00', shiftEnd: '13:00' });
    const [holder, clashing, next] = ['h', 'x', 'n'].map((letter) => `${unique(`skip-${letter}`)}@example.org`);
    const holderToken = await volunteer(holder, [morning.id]);
    const clashingToken = await volunteer(clashing, [morning.id, late.id]);
    const nextToken = await volunteer(next, [morning.id]);
    // The organizer moves the leaflets shift so that it now overlaps the wreaths shift.
    await t.http
      .patch(`/volunteer-roles/${late.id}`)
      .set(await t.auth('organizer'))
      .send({ shiftStart: '10:00', shiftEnd: '12:00' })
      .expect(200);
    await t.http.delete('/volunteers/me').set('X-Manage-Token', holderToken).expect(204);
    expect((await me(nextToken).expect(200)).body.roles[0]).toMatchObject({ state: 'assigned' });
    const stillWaiting = (await me(clashingToken).expect(200)).body.roles.find(
      (row: { roleId: string }) => row.roleId === morning.id,
    );
    expect(stillWaiting).toMatchObject({ state: 'waitlisted', waitlistRank: 1 });
  });

  it('should purge unconfirmed sign-ups after the expiry and keep confirmed ones', async () => {
    const parking = await createRole({ name: 'Parking', capacity: 5, shiftStart: '07:00', shiftEnd: '08:00' });
    const pending = `${unique('expire')}@example.org`;
    const kept = `${unique('kept')}@example.org`;
    clock.set(T0);
    await signUp({ email: pending, roleIds: [parking.id] }).expect(202);
    await volunteer(kept, [parking.id]);
    const token = await confirmTokenOf(pending);
    const service = t.app.get(VolunteerUpkeepService);

    expect(await service.purgeExpiredSignups(new Date(T0.getTime() + 71 * HOUR))).toBe(0);
    expect(await service.purgeExpiredSignups(new Date(T0.getTime() + 72 * HOUR + 1))).toBeGreaterThanOrEqual(1);
    expect(await t.db.query('SELECT id FROM volunteers WHERE email = $1', [pending])).toHaveLength(0);
    expect(await t.db.query('SELECT id FROM volunteers WHERE email = $1', [kept])).toHaveLength(1);
    await t.http.post('/volunteers/confirm').send({ token }).expect(404);
    expect(await role(parking.id)).toMatchObject({ filled: 1 });
    // The task is declared for the scheduler (which runs it where SCHEDULER_ENABLED); running it again finds nothing more.
    expect(t.app.get(JobHandlers).scheduled()).toContainEqual(
      expect.objectContaining({ name: 'volunteers.purge-expired-sign-ups', cron: '*/10 * * * *' }),
    );
    expect(await service.purgeExpiredSignups(new Date(T0.getTime() + 72 * HOUR + 1))).toBe(0);
  });

  it('should export every stored column of the volunteer and their roles', async () => {
    const tea = await createRole({ name: 'Tea for elders', capacity: 4, shiftStart: '12:00', shiftEnd: '13:00' });
    const email = `${unique('export')}@example.org`;
    const token = await volunteer(email, [tea.id], {
      phone: '+994 55 000 11 22',
      languages: ['ru'],
      note: 'Can bring a thermos',
      locale: 'ru',
      consentReminders: true,
    });
    const exported = await t.http.get('/volunteers/me/export').set('X-Manage-Token', token).expect(200);

    const columns = async (table: string) =>
      (
        await t.db.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
          [table],
        )
      ).map((row) => row.column_name);
    expect(Object.keys(exported.body.volunteer).sort()).toEqual((await columns('volunteers')).sort());
    expect(exported.body.assignments).toHaveLength(1);
    expect(Object.keys(exported.body.assignments[0])).toEqual(
      expect.arrayContaining(await columns('volunteer_assignments')),
    );
    expect(exported.body.volunteer).toMatchObject({
      email,
      phone: '+994 55 000 11 22',
      languages: ['ru'],
      note: 'Can bring a thermos',
      locale: 'ru',
      consent_reminders: true,
      status: 'confirmed',
    });
    expect(exported.body.assignments[0]).toMatchObject({ role_name: 'Tea for elders', state: 'assigned' });
  });

  it('should withdraw, pass the place on and leave no personal data in any table', async () => {
    const guides = await createRole({ name: 'Guides', capacity: 1, shiftStart: '13:00', shiftEnd: '14:00' });
    const spare = await createRole({ name: 'Guides reserve', capacity: 3, shiftStart: '14:00', shiftEnd: '15:00' });
    const person = {
      name: `Nigar ${unique('Quliyeva')}`,
      email: `${unique('erase')}@example.org`,
      phone: `+994 70 ${String(Date.now()).slice(-7)}`,
      note: `note-${unique('private')}`,
    };
    const token = await volunteer(person.email, [guides.id], {
      name: person.name,
      phone: person.phone,
      note: person.note,
      languages: ['az'],
    });
    const waiting = `${unique('erase-next')}@example.org`;
    const waitingToken = await volunteer(waiting, [guides.id]);
    // Staff changes are audited; the audit entries must not carry personal data either.
    const [{ id }] = await t.db.query<{ id: string }>('SELECT id FROM volunteers WHERE email = $1', [person.email]);
    await t.http
      .patch(`/volunteers/${id}`)
      .set(await t.auth('organizer'))
      .send({ roleIds: [spare.id] })
      .expect(200);
    expect((await me(waitingToken).expect(200)).body.roles[0]).toMatchObject({ state: 'assigned' });
    const full = await t.http
      .patch(`/volunteers/${id}`)
      .set(await t.auth('organizer'))
      .send({ roleIds: [guides.id, spare.id] })
      .expect(409);
    expect(full.body.message).toBe('The role "Guides" is full (1 of 1 places taken)');

    const scan = async (table: string, value: string) =>
      Number(
        (
          await t.db.query<{ count: string }>(
            `SELECT count(*) AS count FROM "${table}" AS row WHERE row::text ILIKE '%' || $1 || '%'`,
            [value],
          )
        )[0].count,
      );
    // The scan finds the person while they are signed up.
    expect(await scan('volunteers', person.phone)).toBe(1);

    await t.http.delete('/volunteers/me').set('X-Manage-Token', token).expect(204);
    await me(token).expect(404);
    await mailsTo(person.email, 1, /withdrawn/);

    const tables = (
      await t.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      )
    ).map((row) => row.table_name);
    expect(tables).toEqual(expect.arrayContaining(['volunteers', 'volunteer_assignments', 'audit_log']));
    for (const table of tables) {
      for (const value of [person.email, person.name, person.phone, person.note]) {
        expect({ table, value, count: await scan(table, value) }).toEqual({ table, value, count: 0 });
      }
    }
    const [anonymous] = await t.db.query<Record<string, unknown>>('SELECT * FROM volunteers WHERE id = $1', [id]);
    expect(anonymous).toMatchObject({
      status: 'withdrawn',
      name: null,
      email: null,
      phone: null,
      note: null,
      languages: null,
      token_hash: null,
    });
    expect(await role(spare.id)).toMatchObject({ filled: 0 });
    expect(await role(guides.id)).toMatchObject({ filled: 1 });
  });

  it('should fill exactly 20 places from 100 simultaneous confirmations and waitlist 80 in confirmation order', async () => {
    const stewards = await createRole({ name: 'Hall stewards', capacity: 20, shiftStart: '18:00', shiftEnd: '20:00' });
    const emails = Array.from({ length: 100 }, (_, index) => `${unique(`crowd${index}`)}@example.org`);
    for (let start = 0; start < emails.length; start += 10) {
      await Promise.all(
        emails.slice(start, start + 10).map((email) => signUp({ email, roleIds: [stewards.id] }).expect(202)),
      );
    }
    const tokens = await Promise.all(emails.map((email) => confirmTokenOf(email)));
    const replies = await Promise.all(tokens.map((token) => t.http.post('/volunteers/confirm').send({ token })));
    expect(replies.map((reply) => reply.status)).toEqual(Array(100).fill(200));
    const states = replies.map((reply) => reply.body.roles[0].state as string);
    expect(states.filter((state) => state === 'assigned')).toHaveLength(20);
    expect(states.filter((state) => state === 'waitlisted')).toHaveLength(80);
    expect(await role(stewards.id)).toMatchObject({ capacity: 20, filled: 20, remaining: 0, waitlisted: 80 });

    const rows = await t.db.query<{ state: string; waitlist_position: string | null; confirmation_seq: string }>(
      `SELECT a.state, a.waitlist_position, v.confirmation_seq FROM volunteer_assignments a JOIN volunteers v ON v.id = a.volunteer_id WHERE a.role_id = $1`,
      [stewards.id],
    );
    const assigned = rows.filter((row) => row.state === 'assigned').map((row) => BigInt(row.confirmation_seq));
    const waitlist = rows
      .filter((row) => row.state === 'waitlisted')
      .sort((x, y) => (BigInt(x.waitlist_position!) < BigInt(y.waitlist_position!) ? -1 : 1))
      .map((row) => BigInt(row.confirmation_seq));
    expect(assigned).toHaveLength(20);
    // Everyone with a place confirmed before everyone waiting, and the waitlist follows confirmation order.
    const lastAssigned = assigned.reduce((max, value) => (value > max ? value : max));
    expect(waitlist.every((value) => value > lastAssigned)).toBe(true);
    expect(waitlist.every((value, index) => index === 0 || value > waitlist[index - 1])).toBe(true);
  });

  it('should never overfill a role when organizers move volunteers into it at the same time', async () => {
    const source = await createRole({ name: 'Move source', capacity: 10, shiftStart: '20:00', shiftEnd: '21:00' });
    const target = await createRole({ name: 'Move target', capacity: 3, shiftStart: '21:00', shiftEnd: '22:00' });
    const emails = Array.from({ length: 10 }, (_, index) => `${unique(`move${index}`)}@example.org`);
    for (const email of emails) await volunteer(email, [source.id]);
    const ids = (await t.db.query<{ id: string }>('SELECT id FROM volunteers WHERE email = ANY($1)', [emails])).map(
      (row) => row.id,
    );
    const organizer = await t.auth('organizer');
    const replies = await Promise.all(
      ids.map((id) =>
        t.http
          .patch(`/volunteers/${id}`)
          .set(organizer)
          .send({ roleIds: [target.id] }),
      ),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([...Array(3).fill(200), ...Array(7).fill(409)]);
    for (const refused of replies.filter((reply) => reply.status === 409))
      expect(refused.body.message).toContain('"Move target" is full');
    expect(await role(target.id)).toMatchObject({ filled: 3, remaining: 0 });
    expect(await role(source.id)).toMatchObject({ filled: 7 });
    const audit = await t.http
      .get('/audit-log')
      .query({ action: 'volunteer.move' })
      .set(await t.auth('admin'))
      .expect(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('should let a token read and change only its own sign-up, with one reply for every miss', async () => {
    const info = await createRole({ name: 'Information desk', capacity: 5, shiftStart: '10:00', shiftEnd: '11:00' });
    const alice = `${unique('alice')}@example.org`;
    const bob = `${unique('bob')}@example.org`;
    const aliceToken = await volunteer(alice, [info.id], { name: 'Alice' });
    const bobToken = await volunteer(bob, [info.id], { name: 'Bob' });
    expect((await me(aliceToken).expect(200)).body.email).toBe(alice);
    expect((await me(bobToken).expect(200)).body.email).toBe(bob);
    await t.http.patch('/volunteers/me').set('X-Manage-Token', aliceToken).send({ name: 'Alice K.' }).expect(200);
    expect((await me(bobToken).expect(200)).body.name).toBe('Bob');
    const aliceExport = await t.http.get('/volunteers/me/export').set('X-Manage-Token', aliceToken).expect(200);
    expect(JSON.stringify(aliceExport.body)).not.toContain(bob);

    const unknown = await me('A'.repeat(43)).expect(404);
    const malformed = await me('not-a-token').expect(404);
    const missing = await t.http.get('/volunteers/me').expect(404);
    const withBobId = await t.http
      .delete('/volunteers/me')
      .set('X-Manage-Token', `${bobToken.slice(0, 42)}x`)
      .expect(404);
    expect(malformed.body).toEqual(unknown.body);
    expect(missing.body).toEqual(unknown.body);
    expect(withBobId.body).toEqual(unknown.body);
    expect((await me(bobToken).expect(200)).body.status).toBe('confirmed');
    await t.http.patch('/volunteers/me').set('X-Manage-Token', aliceToken).send({ email: bob }).expect(400);
  });

  it('should guard role capacity and deletion, audit staff changes and hide draft editions from the public', async () => {
    const organizer = await t.auth('organizer');
    const desk = await createRole({ name: 'Lost and found', capacity: 3, shiftStart: '11:00', shiftEnd: '12:00' });
    await volunteer(`${unique('desk1')}@example.org`, [desk.id]);
    await volunteer(`${unique('desk2')}@example.org`, [desk.id]);
    const tooLow = await t.http.patch(`/volunteer-roles/${desk.id}`).set(organizer).send({ capacity: 1 }).expect(409);
    expect(tooLow.body.message).toContain('2 volunteers hold a place');
    await t.http.patch(`/volunteer-roles/${desk.id}`).set(organizer).send({ shiftStart: '12:30' }).expect(400);
    await t.http.delete(`/volunteer-roles/${desk.id}`).set(organizer).expect(409);
    await t.http
      .post(`/ceremonies/${edition.id}/volunteer-roles`)
      .set(organizer)
      .send({ name: 'Lost and found', capacity: 1, shiftStart: '08:00', shiftEnd: '09:00' })
      .expect(409);
    await t.http
      .post(`/ceremonies/${edition.id}/volunteer-roles`)
      .set(organizer)
      .send({ name: 'Backwards', capacity: 1, shiftStart: '10:00', shiftEnd: '09:00' })
      .expect(400);
    await t.http
      .post(`/ceremonies/${edition.id}/volunteer-roles`)
      .send({ name: 'Anonymous', capacity: 1, shiftStart: '08:00', shiftEnd: '09:00' })
      .expect(401);

    const unused = await createRole({ name: 'Unused', capacity: 2, shiftStart: '06:00', shiftEnd: '07:00' });
    await t.http.delete(`/volunteer-roles/${unused.id}`).set(organizer).expect(204);
    const audit = await t.http
      .get('/audit-log')
      .query({ entityType: 'volunteer_role', entityId: unused.id })
      .set(await t.auth('admin'))
      .expect(200);
    expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual([
      'volunteer_role.create',
      'volunteer_role.delete',
    ]);

    const draft = await insertCeremony(t.db, { year: 2031, status: 'draft' });
    await createRole({ name: 'Draft role', capacity: 1, shiftStart: '09:00', shiftEnd: '10:00' }, draft.id);
    await t.http.get(`/ceremonies/${draft.id}/volunteer-roles`).expect(404);
    expect((await t.http.get(`/ceremonies/${draft.id}/volunteer-roles`).set(organizer).expect(200)).body).toHaveLength(
      1,
    );
    await signUp({ ceremonyId: draft.id, email: 'draft@example.org', roleIds: [unused.id] }).expect(404);
  });

  it('should list the roster with filters and as CSV, and let an organizer approve a pending sign-up', async () => {
    const organizer = await t.auth('organizer');
    const edition2 = await insertCeremony(t.db, { year: 2029, locales: ['az', 'en'] });
    const [choir] = await Promise.all([
      createRole({ name: 'Choir escort', capacity: 1, shiftStart: '09:00', shiftEnd: '10:00' }, edition2.id),
    ]);
    const confirmedEmail = `${unique('roster')}@example.org`;
    await t.http
      .post('/volunteers')
      .send({
        ceremonyId: edition2.id,
        name: '=Ayan',
        email: confirmedEmail,
        roleIds: [choir.id],
        consentReminders: true,
        locale: 'ru',
      })
      .expect(202);
    // Russian is not offered by this edition: the mail is in its first language, Azerbaijani.
    const [azMail] = await mailsTo(confirmedEmail, 1);
    expect(azMail.parsed.subject).toBe('Könüllü qeydiyyatınızı təsdiq edin – Khojaly Remembrance Day 2029');
    expect(azMail.parsed.headers.get('content-language')).toBe('az');
    await t.http
      .post('/volunteers/confirm')
      .send({ token: await confirmTokenOf(confirmedEmail) })
      .expect(200);
    const pendingEmail = `${unique('approve')}@example.org`;
    await t.http
      .post('/volunteers')
      .send({
        ceremonyId: edition2.id,
        name: 'Pending Person',
        email: pendingEmail,
        roleIds: [choir.id],
        consentReminders: false,
        locale: 'en',
      })
      .expect(202);
    // The sign-up is decided just after the answer.
    await settled();

    const all = await t.http.get(`/ceremonies/${edition2.id}/volunteers`).set(organizer).expect(200);
    expect(all.body.total).toBe(2);
    const pendingOnly = await t.http
      .get(`/ceremonies/${edition2.id}/volunteers`)
      .query({ status: 'pending' })
      .set(organizer)
      .expect(200);
    expect(pendingOnly.body.items.map((item: { email: string }) => item.email)).toEqual([pendingEmail]);
    expect(pendingOnly.body.items[0].roles[0]).toMatchObject({ state: 'requested' });
    const byRole = await t.http
      .get(`/ceremonies/${edition2.id}/volunteers`)
      .query({ roleId: choir.id, limit: 1 })
      .set(organizer)
      .expect(200);
    expect(byRole.body).toMatchObject({ total: 2 });
    expect(byRole.body.items).toHaveLength(1);

    const csv = await t.http
      .get(`/ceremonies/${edition2.id}/volunteers`)
      .query({ format: 'csv' })
      .set(organizer)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const records = parse(csv.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(2);
    expect(records.find((record) => record.email === confirmedEmail)).toMatchObject({
      name: "'=Ayan",
      status: 'confirmed',
      assigned_roles: 'Choir escort 09:00-10:00',
    });
    await t.http.get(`/ceremonies/${edition2.id}/volunteers`).expect(401);

    // Approval acts like confirming: the role is full, so the approved volunteer waits, and gets a new private link.
    const pendingId = pendingOnly.body.items[0].id;
    const approved = await t.http
      .patch(`/volunteers/${pendingId}`)
      .set(organizer)
      .send({ status: 'confirmed' })
      .expect(200);
    expect(approved.body).toMatchObject({
      status: 'confirmed',
      roles: [expect.objectContaining({ state: 'waitlisted', waitlistRank: 1 })],
    });
    const [waitMail] = await mailsTo(pendingEmail, 1, /waiting list/);
    const newToken = MANAGE_LINK.exec(waitMail.parsed.text ?? '')![1];
    expect((await me(newToken).expect(200)).body.id).toBe(pendingId);
    const audit = await t.http
      .get('/audit-log')
      .query({ entityType: 'volunteer', entityId: pendingId })
      .set(await t.auth('admin'))
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'volunteer.approve',
      before: { status: 'pending' },
      after: { status: 'confirmed' },
    });
  });

  it('should copy the roles into next year with the same shifts and capacity but no volunteers', async () => {
    const from = await insertCeremony(t.db, { year: 2033 });
    const to = await insertCeremony(t.db, { year: 2034 });
    const source = await createRole(
      { name: 'Carnations', capacity: 7, shiftStart: '09:15', shiftEnd: '11:45', requiredLanguages: ['en'] },
      from.id,
    );
    await volunteer(`${unique('copy')}@example.org`, [source.id], { ceremonyId: from.id });
    const dependent = t.app
      .get(CeremonyDependents)
      .all()
      .find((candidate) => candidate.name === 'volunteer-roles')!;
    const copy = () =>
      t.app
        .get(TransactionService)
        .run((manager) => dependent.copyToNextYear!({ id: from.id } as Ceremony, { id: to.id } as Ceremony, manager));
    await copy();
    await copy();
    const copied = (await t.http.get(`/ceremonies/${to.id}/volunteer-roles`).expect(200)).body;
    expect(copied).toEqual([
      expect.objectContaining({
        name: 'Carnations',
        capacity: 7,
        filled: 0,
        remaining: 7,
        waitlisted: 0,
        shiftStart: '09:15',
        shiftEnd: '11:45',
        requiredLanguages: ['en'],
      }),
    ]);
    expect(dependent.rescheduleAfterDateChange).toBeUndefined();
  });
});
