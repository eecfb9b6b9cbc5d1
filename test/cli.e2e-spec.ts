import { verify } from '@node-rs/argon2';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { SmtpSink } from './support/smtp-sink';

const ROOT = resolve(__dirname, '..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('Command line (npm run cli)', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let workDir: string;
  /** A port this test holds, as a running server would hold METRICS_PORT. */
  let heldPort: Server;
  let metricsPort: number;

  /** Runs the real CLI in a child process, as `npm run cli -- ...` does. */
  const cli = (...args: string[]): Promise<CliResult> =>
    new Promise((resolveRun) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', 'src/cli/main.ts', ...args],
        {
          cwd: ROOT,
          timeout: 30_000,
          env: {
            /* eslint-disable no-process-env -- the child gets a clean environment, not the test app's */
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            /* eslint-enable no-process-env */
            DATABASE_URL: db.url,
            SMTP_URL: smtp.url,
            DATA_DIR: workDir,
            JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
            PUBLIC_BASE_URL: 'https://commemoration.test',
            MAIL_FROM: 'Commemoration <no-reply@commemoration.test>',
            LOG_LEVEL: 'warn',
            // As a server's environment would say; the CLI must run no job and hold no metrics port.
            SCHEDULER_ENABLED: 'true',
            METRICS_PORT: String(metricsPort),
          },
        },
        (error, stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await new SmtpSink().start();
    workDir = mkdtempSync(join(tmpdir(), 'commemoration-cli-'));
    heldPort = createServer();
    await new Promise<void>((resolveListen) => heldPort.listen(0, '127.0.0.1', resolveListen));
    metricsPort = (heldPort.address() as AddressInfo).port;
    // Migrate the database the way the app does, then leave it to the CLI.
    const app = await createTestApp({ database: db, smtp });
    await app.close();
  });
  afterAll(async () => {
    await new Promise((resolveClose) => heldPort.close(resolveClose));
    await smtp.stop();
    await db.drop();
  });

  describe('user:create', () => {
    it('should create a user with a generated password that works, refuse a duplicate and bad input with exit code 1', async () => {
      const [created, invalid] = await Promise.all([
        cli(
          'user:create',
          '--email',
          'Aysel.Mammadova@example.org',
          '--name',
          'Aysel Mammadova',
          '--role',
          'organizer',
        ),
        cli('user:create', '--email', 'not-an-email', '--name', 'Someone', '--role', 'guest', '--password', 'short'),
      ]);

      expect(created).toMatchObject({ code: 0 });
      expect(created.stdout).toContain('Created organizer Aysel Mammadova <aysel.mammadova@example.org>');
      const password = /Password: (\S+)/.exec(created.stdout)?.[1];
      expect(password).toBeDefined();
      const [user] = await db.query<{ role: string; name: string; password_hash: string }>(
        `SELECT role, name, password_hash FROM users WHERE email = 'aysel.mammadova@example.org'`,
      );
      expect(user).toMatchObject({ role: 'organizer', name: 'Aysel Mammadova' });
      expect(await verify(user.password_hash, password!)).toBe(true);
      const audit = await db.query(`SELECT actor_email FROM audit_log WHERE action = 'user.create'`);
      expect(audit).toEqual([{ actor_email: 'cli@localhost' }]);

      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('email must be an email');
      expect(invalid.stderr).toContain('role must be one of the following values: admin, organizer');
      expect(invalid.stderr).toContain('password must be longer than or equal to 10 characters');

      const duplicate = await cli(
        'user:create',
        '--email',
        'aysel.mammadova@EXAMPLE.org',
        '--name',
        'Again',
        '--role',
        'admin',
        '--password',
        'a-long-enough-password',
      );
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toContain('A user with email aysel.mammadova@example.org already exists');
      expect(await db.query(`SELECT 1 FROM users WHERE lower(email) = 'aysel.mammadova@example.org'`)).toHaveLength(1);
    });

    it('should refuse a common password (any case) with exit code 1 and create nobody', async () => {
      const common = await cli(
        'user:create',
        '--email',
        'common@example.org',
        '--name',
        'Common',
        '--role',
        'organizer',
        '--password',
        'Password123',
      );
      expect(common.code).toBe(1);
      expect(common.stderr).toContain('password is too common; choose another');
      expect(await db.query(`SELECT 1 FROM users WHERE email = 'common@example.org'`)).toHaveLength(0);
    });
  });

  describe('seed:demo and import:volunteers', () => {
    const counts = async () =>
      (
        await db.query<Record<string, string>>(
          `SELECT (SELECT count(*) FROM ceremonies WHERE status = 'published') AS editions,
                  (SELECT count(*) FROM program_items) AS program,
                  (SELECT count(*) FROM visit_slots) AS slots,
                  (SELECT count(*) FROM volunteer_roles) AS roles,
                  (SELECT count(*) FROM bookings WHERE status = 'confirmed') AS bookings,
                  (SELECT count(*) FROM volunteers WHERE status = 'confirmed') AS volunteers`,
        )
      )[0];

    it('should seed a published demo edition once and say so on the second run', async () => {
      const first = await cli('seed:demo', '--year', '2090');
      expect(first.stderr).toBe('');
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toContain('Demo edition 2090 created and published');
      const seeded = await counts();
      expect(seeded).toEqual({ editions: '1', program: '5', slots: '12', roles: '5', bookings: '4', volunteers: '5' });
      const [edition] = await db.query(`SELECT title, date::text, venue_name FROM ceremonies WHERE year = 2090`);
      expect(edition).toEqual({
        title: 'Khojaly Remembrance Day 2090',
        date: '2090-02-26',
        venue_name: 'Khojaly Genocide Memorial',
      });
      const emails = await db.query<{ email: string }>(
        `SELECT email FROM bookings UNION ALL SELECT email FROM volunteers`,
      );
      expect(emails.every(({ email }) => email.endsWith('@example.org'))).toBe(true);

      const second = await cli('seed:demo', '--year', '2090');
      expect(second).toMatchObject({ code: 0 });
      expect(second.stdout).toContain('An edition for 2090 already exists');
      expect(await counts()).toEqual(seeded);
    });

    it('should import the valid rows, report the others by line and exit 0; exit 1 when the file cannot be read', async () => {
      const file = join(workDir, 'volunteers.csv');
      const report = join(workDir, 'rejected.csv');
      writeFileSync(
        file,
        [
          'Name,Email,Roles,Consent_Reminders,Languages,Phone,Note',
          'Kamala Huseynova,kamala.huseynova@example.org,Greeters; Queue stewards,yes,az en,+994 50 555 12 34,',
          'Bad Address,not-an-email,Greeters,yes,,,',
          'Murad Aliyev,murad.aliyev@example.org,Greeters;Carnation distribution,no,,,',
          'Nobody,nobody@example.org,Astronauts,maybe,,,',
          'Farid Mammadli,farid.mammadli@example.org,First aid,no,ru,,"Nurse;',
          'available all day"',
          'Leyla Again,LEYLA.ALIYEVA@example.org,First aid,yes,,,',
        ].join('\n'),
      );
      const [result, unreadable] = await Promise.all([
        cli('import:volunteers', file, '--ceremony', '2090', '--report', report),
        cli('import:volunteers', join(workDir, 'missing.csv'), '--ceremony', '2090'),
      ]);

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2 of 6 volunteers imported; 4 rejected.');
      expect(result.stdout).toContain('line 3 (not-an-email): email must be an email');
      expect(result.stdout).toMatch(
        /line 4 \(murad\.aliyev@example\.org\): roles: The shifts of "Greeters" .* overlap/,
      );
      expect(result.stdout).toContain(
        'line 5 (nobody@example.org): consent_reminders must be a boolean value; roles: no role named "Astronauts" in this edition',
      );
      expect(result.stdout).toContain(
        'line 8 (LEYLA.ALIYEVA@example.org): LEYLA.ALIYEVA@example.org has already signed up for this edition',
      );
      expect(readFileSync(report, 'utf8').split('\n').slice(0, 2)).toEqual([
        'line,email,reasons',
        '3,not-an-email,email must be an email',
      ]);

      const imported = await db.query(
        `SELECT v.name, v.status, v.consent_reminders, v.note, string_agg(r.name || ':' || a.state, ', ' ORDER BY r.name) AS roles
           FROM volunteers v JOIN volunteer_assignments a ON a.volunteer_id = v.id JOIN volunteer_roles r ON r.id = a.role_id
          WHERE v.email IN ('kamala.huseynova@example.org', 'farid.mammadli@example.org')
          GROUP BY v.id ORDER BY v.name`,
      );
      expect(imported).toEqual([
        {
          name: 'Farid Mammadli',
          status: 'confirmed',
          consent_reminders: false,
          note: 'Nurse;\navailable all day',
          roles: 'First aid:assigned',
        },
        {
          name: 'Kamala Huseynova',
          status: 'confirmed',
          consent_reminders: true,
          note: null,
          roles: 'Greeters:assigned, Queue stewards:assigned',
        },
      ]);
      const mail = await smtp.waitForMailTo('kamala.huseynova@example.org');
      expect(mail.parsed.text).toMatch(/https:\/\/commemoration\.test\/p\/volunteer\/me\?token=[A-Za-z0-9_-]{43}/);
      expect(
        await db.query(
          `SELECT 1 FROM volunteers WHERE email IN ('not-an-email', 'murad.aliyev@example.org', 'nobody@example.org')`,
        ),
      ).toEqual([]);

      expect(unreadable.code).toBe(1);
      expect(unreadable.stderr).toContain('Cannot read');
    });
  });

  describe('reminders:dry-run', () => {
    it('should print what the scheduler would record at that instant and record nothing', async () => {
      // The default rules remind 30, 7 and 1 days before at 10:00 local; the 2090 edition was seeded above.
      const [dryRun, invalid] = await Promise.all([
        cli('reminders:dry-run', '--at', '2090-02-19T10:30:00+04:00'),
        cli('reminders:dry-run', '--at', 'next tuesday'),
      ]);

      expect(dryRun.stderr).toBe('');
      expect(dryRun.code).toBe(0);
      expect(dryRun.stdout).toContain('At 2090-02-19T06:30:00.000Z the reminder scheduler would record 2 run(s):');
      expect(dryRun.stdout).toContain('One week before (edition 2090, due 2090-02-19T06:00:00.000Z) would fire');
      expect(dryRun.stdout).toContain(
        'One month before (edition 2090, due 2090-01-27T06:00:00.000Z) would be recorded as missed',
      );
      expect(dryRun.stdout).not.toContain('One day before');
      expect(await db.query(`SELECT 1 FROM reminder_runs`)).toEqual([]);

      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('--at: at must be a valid ISO 8601 date string');
    });
  });

  describe('import:subscribers and mailing:follow', () => {
    const CONTENT = {
      az: {
        subject: 'Xatırlatma',
        text: 'Hörmətli {{name}}, 26 fevral mərasimi.\nAbunəlikdən çıxmaq: {{unsubscribeUrl}}',
      },
      en: { subject: 'Reminder', text: 'Dear {{name}}, the ceremony of 26 February.\nUnsubscribe: {{unsubscribeUrl}}' },
      ru: {
        subject: 'Напоминание',
        text: 'Уважаемый(ая) {{name}}, церемония 26 февраля.\nОтписаться: {{unsubscribeUrl}}',
      },
    };
    const CONFIRM_LINK = /\/subscriptions\/confirm\?token=([A-Za-z0-9_-]{43})/;

    it('should send the opt-in mail to valid addresses and report bad rows and unsubscribed addresses', async () => {
      await db.query(
        `INSERT INTO suppressions (email, reason, source) VALUES ('gone@example.org', 'unsubscribed', 'test')`,
      );
      const file = join(workDir, 'subscribers.csv');
      writeFileSync(
        file,
        [
          'email,name,locale',
          'ilaha.q@example.org,Ilaha Gurbanova,az',
          'anna.k@example.org,Anna Kowalska,en',
          'broken@,Broken,az',
          'fr@example.org,Pierre,fr',
          'Gone@example.org,Gone,',
        ].join('\n'),
      );

      const result = await cli('import:subscribers', file);

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2 of 5 addresses imported; 3 rejected.');
      expect(result.stdout).toContain('line 4 (broken@): email must be an email');
      expect(result.stdout).toContain(
        'line 5 (fr@example.org): locale must be one of the following values: az, en, ru',
      );
      expect(result.stdout).toContain('line 6 (Gone@example.org): this address unsubscribed or cannot receive mail');
      expect(await db.query(`SELECT email, status FROM subscribers ORDER BY email`)).toEqual([
        { email: 'anna.k@example.org', status: 'pending' },
        { email: 'ilaha.q@example.org', status: 'pending' },
      ]);
      for (const address of ['ilaha.q@example.org', 'anna.k@example.org'])
        expect((await smtp.waitForMailTo(address)).parsed.text).toMatch(CONFIRM_LINK);
    });

    it('should follow a mailing with a progress bar until it is sent, then print a summary', async () => {
      // A server instance that delivers; the CLI only watches.
      const server = await createTestApp({
        database: db,
        smtp,
        env: { SCHEDULER_ENABLED: 'true', MAILING_POLL_MS: '100' },
      });
      try {
        for (const address of ['ilaha.q@example.org', 'anna.k@example.org']) {
          const token = CONFIRM_LINK.exec(smtp.to(address)[0].parsed.text ?? '')![1];
          await server.http.post('/subscriptions/confirm').send({ token }).expect(200);
        }
        const admin = await server.auth();
        const created = await server.http
          .post('/mailings')
          .set(admin)
          .send({ name: 'Reminder', audience: { kind: 'subscribers' }, content: CONTENT })
          .expect(201);
        const id = (created.body as { id: string }).id;

        const [unknown, draft] = await Promise.all([
          cli('mailing:follow', '7d3c2f0e-1111-4222-8333-944455556666'),
          cli('mailing:follow', id),
        ]);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain('not found');
        expect(draft.code).toBe(1);
        expect(draft.stderr).toContain('is a draft');

        // A few seconds ahead, so the CLI (booting meanwhile) usually sees it scheduled and then sending.
        await server.http
          .post(`/mailings/${id}/send`)
          .set(admin)
          .send({ at: new Date(Date.now() + 4000).toISOString() })
          .expect(202);
        const followed = await cli('mailing:follow', id, '--interval', '200');

        expect(followed.code).toBe(0);
        expect(followed.stdout).toMatch(
          /^Mailing "Reminder" sent: 2 sent, 0 failed, 0 skipped of 2 \(followed \d+ s\)\.$/m,
        );
        expect(followed.stderr).toMatch(/2\/2 \| sent 2, failed 0, skipped 0/);
        expect(await db.query(`SELECT status FROM mailings WHERE id = $1`, [id])).toEqual([{ status: 'sent' }]);
      } finally {
        await server.close();
      }
    });
  });
});
