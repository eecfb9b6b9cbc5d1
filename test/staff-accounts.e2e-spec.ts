import { readFileSync } from 'node:fs';
import { generate } from 'otplib';
import { hashToken } from '../src/common/tokens';
import { FixedClock } from '../src/common/clock';
import { AuditService } from '../src/audit/audit.service';
import { PasswordService } from '../src/users/password.service';
import { authConfig, AuthConfig } from '../src/config/auth.config';
import { TransactionService } from '../src/database/transaction.service';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { PasswordResetService } from '../src/auth/password-reset.service';
import { UsersRepository } from '../src/users/users.repository';
import { UsersService } from '../src/users/users.service';
import { ADMIN, createTestApp, TestApp } from './support/app';
import { eventually } from './support/eventually';
import type { ReceivedMail } from './support/smtp-sink';
import { Browser, describeWithChromium, freePort, launchBrowser, screenshot } from './browser/browser';

/** Staff accounts: own password change, revocation of earlier tokens, reset by mail, deactivation, TOTP, password rules. */

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const RESET_LINK = /https:\/\/commemoration\.test\/console\/password-reset\?token=([A-Za-z0-9_-]{43})/;
const INVALID_LOGIN = { statusCode: 401, message: 'Invalid email or password', error: 'Unauthorized' };

async function login(t: TestApp, email: string, password: string, totp?: string): Promise<string> {
  const response = await t.http
    .post('/auth/login')
    .send({ email, password, ...(totp === undefined ? {} : { totp }) })
    .expect(200);
  return response.body.accessToken as string;
}

async function createStaff(
  t: TestApp,
  email: string,
  role: 'admin' | 'organizer',
  password = 'staff-password-42',
): Promise<{ id: string; email: string; password: string }> {
  const created = await t.http
    .post('/users')
    .set(await t.auth('admin'))
    .send({ email, password, role, name: `Staff ${email}` })
    .expect(201);
  return { id: created.body.id as string, email, password };
}

/** The token of the newest reset link mailed to this address (waits for the `count`-th such mail). */
async function resetToken(t: TestApp, address: string, count = 1): Promise<{ token: string; mail: ReceivedMail }> {
  await t.smtp.waitFor(
    (mails) =>
      mails.filter((mail) => mail.envelopeTo.includes(address) && RESET_LINK.test(mail.parsed.text ?? '')).length >=
      count,
    15_000,
    `${count} reset mail(s) to ${address}`,
  );
  const mail = t.smtp
    .to(address)
    .filter((received) => RESET_LINK.test(received.parsed.text ?? ''))
    .at(count - 1)!;
  return { token: RESET_LINK.exec(mail.parsed.text ?? '')![1], mail };
}

describe('Staff accounts', () => {
  let t: TestApp;
  // Stands still unless moved, so expiry and TOTP time steps are exact; starts at the real time (tokens are signed with it).
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(() => t.close());

  describe('own password change', () => {
    it("should change an organizer's own password with 204 and refuse every earlier token at once", async () => {
      const staff = await createStaff(t, 'changer@test.example', 'organizer');
      const before = await login(t, staff.email, staff.password);
      await t.http.get('/auth/me').set(bearer(before)).expect(200);
      await t.http
        .post('/auth/password')
        .set(bearer(before))
        .send({ currentPassword: staff.password, newPassword: 'a-brand-new-passphrase' })
        .expect(204);
      await t.http.get('/auth/me').set(bearer(before)).expect(401);
      await t.http.post('/auth/login').send({ email: staff.email, password: staff.password }).expect(401);
      const after = await login(t, staff.email, 'a-brand-new-passphrase');
      await t.http.get('/auth/me').set(bearer(after)).expect(200);
    });

    it('should refuse a wrong current password with 400 naming currentPassword and keep the password', async () => {
      const staff = await createStaff(t, 'forgetful@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      const response = await t.http
        .post('/auth/password')
        .set(bearer(token))
        .send({ currentPassword: 'not-my-password', newPassword: 'another-fine-passphrase' })
        .expect(400);
      expect(response.body.message).toEqual([expect.stringMatching(/^currentPassword /)]);
      await t.http.get('/auth/me').set(bearer(token)).expect(200);
      await login(t, staff.email, staff.password);
    });

    it('should refuse a common or short new password with 400 naming newPassword, whatever its case', async () => {
      const staff = await createStaff(t, 'weak@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      const common = await t.http
        .post('/auth/password')
        .set(bearer(token))
        .send({ currentPassword: staff.password, newPassword: 'PassWord123' })
        .expect(400);
      expect(common.body.message).toEqual(['newPassword is too common; choose another']);
      const short = await t.http
        .post('/auth/password')
        .set(bearer(token))
        .send({ currentPassword: staff.password, newPassword: 'short' })
        .expect(400);
      expect(short.body.message).toEqual(['newPassword must be longer than or equal to 10 characters']);
      await login(t, staff.email, staff.password);
    });

    it('should record the change in the audit log without any secret', async () => {
      const staff = await createStaff(t, 'audited@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      await t.http
        .post('/auth/password')
        .set(bearer(token))
        .send({ currentPassword: staff.password, newPassword: 'audited-new-passphrase' })
        .expect(204);
      const audit = await t.http
        .get('/audit-log')
        .query({ entityType: 'user', entityId: staff.id })
        .set(await t.auth('admin'))
        .expect(200);
      expect(audit.body.items.map((item: { action: string }) => item.action)).toContain('user.password-change');
      const text = JSON.stringify(audit.body);
      expect(text).not.toContain('audited-new-passphrase');
      expect(text).not.toContain(staff.password);
      expect(text).not.toMatch(/argon2/);
    });
  });

  describe('password rules on every path', () => {
    it('should refuse a common password (any case) when an admin creates or updates a user, naming the field', async () => {
      const admin = await t.auth('admin');
      const created = await t.http
        .post('/users')
        .set(admin)
        .send({ email: 'common@test.example', password: 'QWERTYUIOP', role: 'organizer', name: 'Common' })
        .expect(400);
      expect(created.body.message).toEqual(['password is too common; choose another']);
      const staff = await createStaff(t, 'updated@test.example', 'organizer');
      const updated = await t.http.patch(`/users/${staff.id}`).set(admin).send({ password: '1234567890' }).expect(400);
      expect(updated.body.message).toEqual(['password is too common; choose another']);
      await login(t, staff.email, staff.password);
    });

    it('should refuse every earlier token of a user whose password an admin sets', async () => {
      const staff = await createStaff(t, 'reset-by-admin@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      await t.http
        .patch(`/users/${staff.id}`)
        .set(await t.auth('admin'))
        .send({ password: 'set-by-the-admin-42' })
        .expect(200);
      await t.http.get('/auth/me').set(bearer(token)).expect(401);
      await login(t, staff.email, 'set-by-the-admin-42');
    });
  });

  describe('deactivation', () => {
    it("should refuse a deactivated user's sign-in like a wrong password and their tokens at once, and let them back when reactivated", async () => {
      const admin = await t.auth('admin');
      const staff = await createStaff(t, 'leaving@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      const patched = await t.http.patch(`/users/${staff.id}`).set(admin).send({ active: false }).expect(200);
      expect(patched.body).toMatchObject({ id: staff.id, active: false });
      await t.http.get('/auth/me').set(bearer(token)).expect(401);
      const refused = await t.http
        .post('/auth/login')
        .send({ email: staff.email, password: staff.password })
        .expect(401);
      expect(refused.body).toEqual(INVALID_LOGIN);
      const listed = await t.http.get('/users').query({ limit: 500 }).set(admin).expect(200);
      expect(listed.body.items.find((user: { id: string }) => user.id === staff.id)).toMatchObject({ active: false });
      expect(listed.body.items.find((user: { email: string }) => user.email === ADMIN.email)).toMatchObject({
        active: true,
      });

      await t.http.patch(`/users/${staff.id}`).set(admin).send({ active: true }).expect(200);
      await t.http.get('/auth/me').set(bearer(token)).expect(401);
      await login(t, staff.email, staff.password);
    });

    it('should refuse an admin deactivating or demoting themselves with 409', async () => {
      const other = await createStaff(t, 'second-admin@test.example', 'admin');
      const token = await login(t, other.email, other.password);
      const deactivated = await t.http
        .patch(`/users/${other.id}`)
        .set(bearer(token))
        .send({ active: false })
        .expect(409);
      expect(deactivated.body.message).toMatch(/own account/);
      await t.http.patch(`/users/${other.id}`).set(bearer(token)).send({ role: 'organizer' }).expect(409);
      await t.http.get('/auth/me').set(bearer(token)).expect(200);
    });

    it('should keep one active admin when two admins deactivate each other at the same moment', async () => {
      // Several rounds, each with a fresh pair as the only active admins: the race is on every time.
      for (let round = 0; round < 8; round += 1) {
        const first = await createStaff(t, `duel-${round}-a@test.example`, 'admin');
        const second = await createStaff(t, `duel-${round}-b@test.example`, 'admin');
        const [firstToken, secondToken] = [
          await login(t, first.email, first.password),
          await login(t, second.email, second.password),
        ];
        await t.db.query(`UPDATE users SET active = false WHERE role = 'admin' AND id NOT IN ($1, $2)`, [
          first.id,
          second.id,
        ]);
        try {
          const responses = await Promise.all([
            t.http.patch(`/users/${second.id}`).set(bearer(firstToken)).send({ active: false }),
            t.http.patch(`/users/${first.id}`).set(bearer(secondToken)).send({ active: false }),
          ]);
          // The loser either sees the winner's change (409) or is already refused as deactivated (401).
          const [{ active }] = await t.db.query<{ active: number }>(
            `SELECT count(*)::int AS active FROM users WHERE role = 'admin' AND active`,
          );
          expect({ round, active, successes: responses.filter((response) => response.status === 200).length }).toEqual({
            round,
            active: 1,
            successes: 1,
          });
        } finally {
          await t.db.query(`UPDATE users SET active = true WHERE role = 'admin' AND email NOT LIKE 'duel-%'`);
        }
      }
    });

    it('should send no reset mail to a deactivated user', async () => {
      const admin = await t.auth('admin');
      const staff = await createStaff(t, 'inactive-reset@test.example', 'organizer');
      await t.http.patch(`/users/${staff.id}`).set(admin).send({ active: false }).expect(200);
      await t.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
      await t.http.post(`/users/${staff.id}/password-reset`).set(admin).expect(409);
      await t.app.get(JobsQueue).runner.settled();
      expect(t.smtp.to(staff.email)).toHaveLength(0);
    });
  });

  describe('password reset by mail', () => {
    it('should answer a known and an unknown address alike with 202 and mail only the known one a single-use link', async () => {
      const staff = await createStaff(t, 'reset-me@test.example', 'organizer');
      const oldToken = await login(t, staff.email, staff.password);
      const known = await t.http.post('/auth/password-reset').send({ email: 'Reset-Me@Test.Example' }).expect(202);
      const unknown = await t.http.post('/auth/password-reset').send({ email: 'nobody-here@test.example' }).expect(202);
      expect(known.body).toEqual(unknown.body);
      expect(known.body).toMatchObject({ status: 'accepted' });

      const { token, mail } = await resetToken(t, staff.email);
      expect(mail.parsed.subject).toMatch(/reset your staff password/);
      expect(mail.parsed.html).toContain(`/console/password-reset?token=${token}`);
      expect(mail.parsed.text).toMatch(/60 minutes/);
      await t.app.get(JobsQueue).runner.settled();
      expect(t.smtp.to('nobody-here@test.example')).toHaveLength(0);
      // Only the hash is stored.
      const [row] = await t.db.query<{ reset_token_hash: string }>(`SELECT reset_token_hash FROM users WHERE id = $1`, [
        staff.id,
      ]);
      expect(row.reset_token_hash).toBe(hashToken(token));
      expect(JSON.stringify(await t.db.query(`SELECT * FROM users WHERE id = $1`, [staff.id]))).not.toContain(token);

      await t.http.post('/auth/password-reset/confirm').send({ token, password: 'reset-new-passphrase' }).expect(204);
      await t.http.get('/auth/me').set(bearer(oldToken)).expect(401);
      await login(t, staff.email, 'reset-new-passphrase');
      const again = await t.http
        .post('/auth/password-reset/confirm')
        .send({ token, password: 'reset-third-passphrase' })
        .expect(404);
      const unknownToken = await t.http
        .post('/auth/password-reset/confirm')
        .send({ token: 'A'.repeat(43), password: 'reset-third-passphrase' })
        .expect(404);
      expect(again.body).toEqual(unknownToken.body);
      await login(t, staff.email, 'reset-new-passphrase');
    });

    it('should send one link when a request is decided twice (a rerun after a crash)', async () => {
      const staff = await createStaff(t, 'rerun@test.example', 'organizer');
      const resets = t.app.get(PasswordResetService);
      const decide = (request: { email: string; requestedAt: string }) => resets.decide(request);
      const request = { email: staff.email, requestedAt: clock.now().toISOString() };
      await decide(request);
      const [before] = await t.db.query<{ reset_token_hash: string }>(
        `SELECT reset_token_hash FROM users WHERE id = $1`,
        [staff.id],
      );
      await decide(request);
      await t.app.get(JobsQueue).runner.settled();
      expect(t.smtp.to(staff.email)).toHaveLength(1);
      const { token } = await resetToken(t, staff.email);
      expect(before.reset_token_hash).toBe(hashToken(token));
      await t.http.post('/auth/password-reset/confirm').send({ token, password: 'rerun-new-passphrase' }).expect(204);
    });

    it('should invalidate an older link when a newer one is asked for', async () => {
      const staff = await createStaff(t, 'twice@test.example', 'organizer');
      await t.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
      const { token: first } = await resetToken(t, staff.email, 1);
      clock.advance(1_000);
      await t.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
      const { token: second } = await resetToken(t, staff.email, 2);
      expect(second).not.toBe(first);
      await t.http
        .post('/auth/password-reset/confirm')
        .send({ token: first, password: 'older-link-passphrase' })
        .expect(404);
      await t.http
        .post('/auth/password-reset/confirm')
        .send({ token: second, password: 'newer-link-passphrase' })
        .expect(204);
      await login(t, staff.email, 'newer-link-passphrase');
    });

    it('should refuse an expired link with the same 404 once PASSWORD_RESET_TTL_MINUTES have passed', async () => {
      const staff = await createStaff(t, 'late@test.example', 'organizer');
      await t.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
      const { token } = await resetToken(t, staff.email);
      clock.advance(60 * 60_000 + 1_000);
      const expired = await t.http
        .post('/auth/password-reset/confirm')
        .send({ token, password: 'too-late-passphrase' })
        .expect(404);
      expect(expired.body.message).toMatch(/invalid, was already used or has expired/);
      await login(t, staff.email, staff.password);
    });

    it('should refuse a common password on confirm with 400 naming password and keep the link usable', async () => {
      const staff = await createStaff(t, 'picky@test.example', 'organizer');
      await t.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
      const { token } = await resetToken(t, staff.email);
      const refused = await t.http
        .post('/auth/password-reset/confirm')
        .send({ token, password: 'Password123' })
        .expect(400);
      expect(refused.body.message).toEqual(['password is too common; choose another']);
      await t.http.post('/auth/password-reset/confirm').send({ token, password: 'finally-a-good-one' }).expect(204);
    });

    it('should let an admin mail a user a reset link (202)', async () => {
      const staff = await createStaff(t, 'helped@test.example', 'organizer');
      const response = await t.http
        .post(`/users/${staff.id}/password-reset`)
        .set(await t.auth('admin'))
        .expect(202);
      expect(response.body).toMatchObject({ status: 'accepted' });
      const { token } = await resetToken(t, staff.email);
      await t.http.post('/auth/password-reset/confirm').send({ token, password: 'helped-new-passphrase' }).expect(204);
      await login(t, staff.email, 'helped-new-passphrase');
      await t.http
        .post(`/users/${staff.id}/password-reset`)
        .set(await t.auth('organizer'))
        .expect(403);
    });

    it('should serve a script-free page with a labelled form that sets the password typed twice', async () => {
      const staff = await createStaff(t, 'by-page@test.example', 'organizer');
      await t.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
      const { token } = await resetToken(t, staff.email);
      const page = await t.http.get('/console/password-reset').query({ token }).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<label for="password">New password</label>');
      expect(page.text).toContain('<label for="passwordRepeat">Repeat the new password</label>');
      expect(page.text).not.toMatch(/<script|\son[a-z]+=/i);
      await t.http
        .get('/console/password-reset')
        .query({ token: 'A'.repeat(43) })
        .expect(404);

      const form = (password: string, passwordRepeat: string) =>
        t.http.post('/console/password-reset').type('form').send({ token, password, passwordRepeat });
      const differ = await form('page-new-passphrase', 'page-new-passphrasx').expect(400);
      expect(differ.text).toContain('The two passwords differ');
      const common = await form('iloveyou12', 'iloveyou12').expect(400);
      expect(common.text).toContain('too common');
      const done = await form('page-new-passphrase', 'page-new-passphrase').expect(200);
      expect(done.text).toContain('Your new password is set');
      await login(t, staff.email, 'page-new-passphrase');
      const reused = await form('page-other-passphrase', 'page-other-passphrase').expect(404);
      expect(reused.text).toContain('This link cannot be used');
    });
  });

  describe('two-factor sign-in (TOTP)', () => {
    const code = (secret: string) => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });

    it('should set up, enable, require and check a TOTP code at sign-in, refusing a replayed code', async () => {
      const staff = await createStaff(t, 'totp@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      const setup = await t.http.post('/auth/2fa/setup').set(bearer(token)).expect(201);
      const secret = setup.body.secret as string;
      expect(setup.body.otpauthUrl).toMatch(new RegExp(`^otpauth://totp/.*secret=${secret}`));
      // Pending: not on yet, the secret not stored in the clear.
      await login(t, staff.email, staff.password);
      const [row] = await t.db.query<{ totp_secret: Buffer }>(`SELECT totp_secret FROM users WHERE id = $1`, [
        staff.id,
      ]);
      expect(row.totp_secret.toString('latin1')).not.toContain(secret);
      expect((await t.http.get('/auth/me').set(bearer(token)).expect(200)).body).toMatchObject({
        twoFactorEnabled: false,
      });

      const wrong = await t.http
        .post('/auth/2fa/enable')
        .set(bearer(token))
        .send({ totp: (Number(await code(secret)) ^ 1).toString().padStart(6, '0') })
        .expect(400);
      expect(wrong.body.message).toEqual([expect.stringMatching(/^totp /)]);
      const enablingCode = await code(secret);
      const enabled = await t.http.post('/auth/2fa/enable').set(bearer(token)).send({ totp: enablingCode }).expect(200);
      expect(enabled.body.recoveryCodes).toHaveLength(10);
      expect(new Set(enabled.body.recoveryCodes).size).toBe(10);
      expect((await t.http.get('/auth/me').set(bearer(token)).expect(200)).body).toMatchObject({
        twoFactorEnabled: true,
      });
      await t.http.post('/auth/2fa/setup').set(bearer(token)).expect(409);

      // A wrong password says nothing about the second factor.
      const wrongPassword = await t.http
        .post('/auth/login')
        .send({ email: staff.email, password: 'not-the-password' })
        .expect(401);
      expect(wrongPassword.body).toEqual(INVALID_LOGIN);
      const missing = await t.http
        .post('/auth/login')
        .send({ email: staff.email, password: staff.password })
        .expect(401);
      expect(missing.body).toMatchObject({ statusCode: 401, code: 'totp_required' });
      const replayed = await t.http
        .post('/auth/login')
        .send({ email: staff.email, password: staff.password, totp: enablingCode })
        .expect(401);
      expect(replayed.body).toMatchObject({ code: 'totp_invalid' });

      clock.advance(30_000);
      const fresh = await code(secret);
      await login(t, staff.email, staff.password, fresh);
      const again = await t.http
        .post('/auth/login')
        .send({ email: staff.email, password: staff.password, totp: fresh })
        .expect(401);
      expect(again.body).toMatchObject({ code: 'totp_invalid' });

      // A recovery code works once.
      const recovery = enabled.body.recoveryCodes[0] as string;
      await login(t, staff.email, staff.password, recovery.toUpperCase());
      const used = await t.http
        .post('/auth/login')
        .send({ email: staff.email, password: staff.password, totp: recovery })
        .expect(401);
      expect(used.body).toMatchObject({ code: 'totp_invalid' });

      // Off again with the password and a code: every token is refused, sign-in needs no code.
      clock.advance(30_000);
      const signedIn = await login(t, staff.email, staff.password, await code(secret));
      clock.advance(30_000);
      await t.http
        .post('/auth/2fa/disable')
        .set(bearer(signedIn))
        .send({ password: 'not-the-password', totp: await code(secret) })
        .expect(400);
      await t.http
        .post('/auth/2fa/disable')
        .set(bearer(signedIn))
        .send({ password: staff.password, totp: await code(secret) })
        .expect(204);
      await t.http.get('/auth/me').set(bearer(signedIn)).expect(401);
      await login(t, staff.email, staff.password);
    });

    it('should refuse TOTP codes but accept a recovery code, not fail, when JWT_SECRET changed and the secret cannot be opened', async () => {
      const staff = await createStaff(t, 'rotated@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      const secret = (await t.http.post('/auth/2fa/setup').set(bearer(token)).expect(201)).body.secret as string;
      const { recoveryCodes } = (
        await t.http
          .post('/auth/2fa/enable')
          .set(bearer(token))
          .send({ totp: await code(secret) })
          .expect(200)
      ).body as { recoveryCodes: string[] };
      const rotated = await createTestApp({
        database: t.db,
        smtp: t.smtp,
        clock,
        env: { JWT_SECRET: 'another-secret-that-is-long-enough-for-hs256' },
      });
      try {
        clock.advance(30_000);
        const refused = await rotated.http
          .post('/auth/login')
          .send({ email: staff.email, password: staff.password, totp: await code(secret) })
          .expect(401);
        expect(refused.body).toMatchObject({ code: 'totp_invalid' });
        await login(rotated, staff.email, staff.password, recoveryCodes[0]);
      } finally {
        await rotated.close();
      }
    });

    it('should accept one code only once when two sign-ins send it at the same moment', async () => {
      const staff = await createStaff(t, 'totp-race@test.example', 'organizer');
      const token = await login(t, staff.email, staff.password);
      const secret = (await t.http.post('/auth/2fa/setup').set(bearer(token)).expect(201)).body.secret as string;
      await t.http
        .post('/auth/2fa/enable')
        .set(bearer(token))
        .send({ totp: await code(secret) })
        .expect(200);
      clock.advance(30_000);
      const shared = await code(secret);
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.http.post('/auth/login').send({ email: staff.email, password: staff.password, totp: shared }),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    });
  });
});

/**
 * Each instance keeps a copy of its staff users' auth states (AuthStateCache); a change on one
 * instance reaches the other through PostgreSQL's notification. The copies here live 60 s, far
 * beyond the deadline, so a refusal within it is the notification's doing, not the entry's age.
 */
describe('Token revocation across two instances', () => {
  let first: TestApp;
  let second: TestApp;
  const env = { AUTH_CACHE_MAX_AGE_MS: '60000' };

  beforeAll(async () => {
    first = await createTestApp({ env });
    second = await createTestApp({ database: first.db, smtp: first.smtp, env });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** A fresh organizer and a token issued by instance 1, seen to work on instance 2 (which now holds the user's state). */
  async function signedIn(email: string) {
    const staff = await createStaff(first, email, 'organizer');
    const token = await login(first, staff.email, staff.password);
    await second.http.get('/auth/me').set(bearer(token)).expect(200);
    await second.http.get('/auth/me').set(bearer(token)).expect(200);
    return { ...staff, token };
  }

  /** Polls one instance with the token until it is refused (a deadline sized for a loaded machine). */
  const refusedBy = (t: TestApp, token: string, what: string) =>
    eventually(
      async () => (await t.http.get('/auth/me').set(bearer(token))).status,
      (status) => status === 401,
      10_000,
      `the token to be refused after ${what}`,
    );

  /** Instance 1, which made the change, refuses the token in its next answer; instance 2 once the notification arrives. */
  async function refusedOnBoth(token: string, what: string): Promise<void> {
    await first.http.get('/auth/me').set(bearer(token)).expect(401);
    await refusedBy(second, token, what);
  }

  it('should refuse on instance 2 a token once its owner changed the password or signed out everywhere on instance 1', async () => {
    const staff = await signedIn('two-self@test.example');
    await first.http
      .post('/auth/password')
      .set(bearer(staff.token))
      .send({ currentPassword: staff.password, newPassword: 'two-instances-passphrase' })
      .expect(204);
    await refusedOnBoth(staff.token, 'a password change');

    const leaving = await signedIn('two-logout@test.example');
    await first.http.post('/auth/logout').set(bearer(leaving.token)).expect(204);
    await refusedOnBoth(leaving.token, 'signing out');
    // A new sign-in works on both at once: its token version is the new one.
    const again = await login(second, leaving.email, leaving.password);
    await first.http.get('/auth/me').set(bearer(again)).expect(200);
    await second.http.get('/auth/me').set(bearer(again)).expect(200);
  });

  it('should refuse on instance 2 a token once an admin changed the role, the password, deactivated or deleted the user on instance 1', async () => {
    const admin = await first.auth('admin');
    for (const change of [{ role: 'admin' }, { password: 'admin-chosen-passphrase' }, { active: false }]) {
      const staff = await signedIn(`two-${Object.keys(change)[0]}@test.example`);
      await first.http.patch(`/users/${staff.id}`).set(admin).send(change).expect(200);
      await refusedOnBoth(staff.token, JSON.stringify(change));
    }
    const deleted = await signedIn('two-deleted@test.example');
    await first.http.delete(`/users/${deleted.id}`).set(admin).expect(204);
    await refusedOnBoth(deleted.token, 'a deletion');
  });

  it('should refuse on instance 2 a token once a password reset was confirmed on instance 1', async () => {
    const staff = await signedIn('two-reset@test.example');
    await first.http.post('/auth/password-reset').send({ email: staff.email }).expect(202);
    const { token } = await resetToken(first, staff.email);
    await first.http.post('/auth/password-reset/confirm').send({ token, password: 'two-reset-passphrase' }).expect(204);
    await refusedOnBoth(staff.token, 'a password reset');
    await login(second, staff.email, 'two-reset-passphrase');
  });

  it('should refuse on instance 2 a token once the row was changed by another program (the trigger notifies)', async () => {
    const staff = await signedIn('two-sql@test.example');
    await first.db.query('UPDATE users SET active = false WHERE id = $1', [staff.id]);
    await refusedBy(first, staff.token, 'an UPDATE in SQL');
    await refusedBy(second, staff.token, 'an UPDATE in SQL');
  });
});

describe('STAFF_2FA=required', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date());
  const epoch = () => Math.floor(clock.now().getTime() / 1000);
  /** The admin's token from a sign-in with a code (set by the first test). */
  let fullAdmin: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { STAFF_2FA: 'required', PASSWORD_MIN_LENGTH: '16' } });
  });
  afterAll(() => t.close());

  it('should let an admin without two-factor sign-in only enrol until they sign in again with a code', async () => {
    const token = await login(t, ADMIN.email, ADMIN.password);
    const refused = await t.http.get('/users').set(bearer(token)).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'two_factor_required' });
    await t.http.post('/users').set(bearer(token)).send({}).expect(403);
    expect((await t.http.get('/auth/me').set(bearer(token)).expect(200)).body).toMatchObject({
      twoFactorEnabled: false,
      twoFactorRequired: true,
      enrolmentRequired: true,
    });

    const secret = (await t.http.post('/auth/2fa/setup').set(bearer(token)).expect(201)).body.secret as string;
    await t.http
      .post('/auth/2fa/enable')
      .set(bearer(token))
      .send({ totp: await generate({ secret, epoch: epoch() }) })
      .expect(200);
    // The password-only token stays limited; a new sign-in with a code opens everything.
    await t.http.get('/users').set(bearer(token)).expect(403);
    clock.advance(30_000);
    fullAdmin = bearer(await login(t, ADMIN.email, ADMIN.password, await generate({ secret, epoch: epoch() })));
    await t.http.get('/users').set(fullAdmin).expect(200);
    expect((await t.http.get('/auth/me').set(fullAdmin).expect(200)).body).toMatchObject({
      twoFactorEnabled: true,
      enrolmentRequired: false,
    });
  });

  it('should leave organizers free to work without two-factor sign-in', async () => {
    await t.http
      .post('/users')
      .set(fullAdmin)
      .send({ email: 'free@test.example', password: 'organizer-passphrase-16', role: 'organizer', name: 'Free' })
      .expect(201);
    const organizer = bearer(await login(t, 'free@test.example', 'organizer-passphrase-16'));
    expect((await t.http.get('/auth/me').set(organizer).expect(200)).body).toMatchObject({
      twoFactorRequired: false,
      enrolmentRequired: false,
    });
    // Past the guard: the body is checked (400), not the second factor (403).
    await t.http.post('/ceremonies').set(organizer).send({}).expect(400);
  });

  it('should apply PASSWORD_MIN_LENGTH to new passwords', async () => {
    const response = await t.http
      .post('/users')
      .set(fullAdmin)
      .send({ email: 'short@test.example', password: 'fifteen-chars-x', role: 'organizer', name: 'Short' })
      .expect(400);
    expect(response.body.message).toEqual(['password must be longer than or equal to 16 characters']);
  });
});

describeWithChromium('The password-reset page in a browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    t = await createTestApp({ env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should let a person open the mailed link, type the new password twice and sign in with it, with no CSP or script error', async () => {
    await t.http.post('/auth/password-reset').send({ email: ADMIN.email }).expect(202);
    await t.smtp.waitFor(
      (mails) => mails.some((mail) => /console\/password-reset\?token=/.test(mail.parsed.text ?? '')),
      15_000,
      'reset mail',
    );
    const url = /(http:\/\/127\.0\.0\.1:\d+\/console\/password-reset\?token=[A-Za-z0-9_-]{43})/.exec(
      t.smtp.to(ADMIN.email)[0].parsed.text ?? '',
    )![1];
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
    // The axe-core rules (WCAG 2.1 A and AA, best practices) the page breaks; evaluated through the DevTools protocol, so the page's CSP does not apply to the checker.
    const violations = async () => {
      await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
      return page.evaluate<string[]>(
        `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((outcome) => outcome.violations.map((violation) => violation.id))`,
      );
    };
    await page.goto(url);
    expect(await violations()).toEqual([]);
    await page.getByLabel('New password', { exact: true }).fill('browser-typed-passphrase');
    await page.getByLabel('Repeat the new password').fill('browser-typed-passphrasf');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passwords differ' }).waitFor();
    expect(await violations()).toEqual([]);

    await page.getByLabel('New password', { exact: true }).fill('browser-typed-passphrase');
    await page.getByLabel('Repeat the new password').fill('browser-typed-passphrase');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your new password is set' }).waitFor();
    await screenshot(page, 'password-reset-done');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
    await login(t, ADMIN.email, 'browser-typed-passphrase');
  });
});

describe('The first admin', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should print a generated password once, with the hint to change it at POST /auth/password, that signs in', async () => {
    await t.db.query('DELETE FROM users');
    // As on the embedded default with no ADMIN_EMAIL/ADMIN_PASSWORD (the test apps always set them).
    const config: AuthConfig = {
      ...t.app.get<AuthConfig>(authConfig.KEY),
      adminEmail: undefined,
      adminPassword: undefined,
      generateAdmin: true,
    };
    const sut = new UsersService(
      t.app.get(UsersRepository),
      t.app.get(PasswordService),
      t.app.get(AuditService),
      t.app.get(TransactionService),
      config,
    );
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await sut.ensureFirstAdmin();
    } finally {
      spy.mockRestore();
    }
    const text = written.join('');
    expect(text).toContain('change it with POST /auth/password');
    const password = /Password: (\S+)/.exec(text)![1];
    const token = await login(t, 'admin@localhost', password);
    await t.http
      .post('/auth/password')
      .set(bearer(token))
      .send({ currentPassword: password, newPassword: 'first-admin-passphrase' })
      .expect(204);
  });
});
