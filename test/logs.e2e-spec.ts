import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailService } from '../src/mail/mail.service';
import { ADMIN, createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * Captures the log of whole flows at debug level and searches it for secrets: passwords, bearer
 * tokens, self-service tokens and message bodies must never be written.
 */
describe('Logs', () => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'commemoration-log-')), 'app.log');
  let t: TestApp;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'debug', LOG_FILE: logFile } });
  });
  afterAll(() => t.close());

  it('should log requests with their id but no password, token or message body', async () => {
    const login = await t.http.post('/auth/login').send(ADMIN).expect(200);
    secrets.push(ADMIN.password, login.body.accessToken);
    const admin = { Authorization: `Bearer ${login.body.accessToken}` };
    const newPassword = 'another-secret-password-42';
    secrets.push(newPassword);
    await t.http
      .post('/users')
      .set(admin)
      .send({ email: 'logged@test.example', password: newPassword, role: 'organizer', name: 'Logged' })
      .expect(201);
    await t.http
      .post('/auth/login')
      .send({ email: 'logged@test.example', password: 'wrong-password-secret' })
      .expect(401);
    secrets.push('wrong-password-secret');
    const selfServiceToken = 'Q'.repeat(43);
    secrets.push(selfServiceToken);
    await t.http.get(`/bookings/manage/${selfServiceToken}`);
    // The self-service flows with their real tokens: in a path, in a query string, in a header, in a body.
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    const slot = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(admin)
      .send({ startsAt: '2027-02-26T06:00:00.000Z', endsAt: '2027-02-26T06:30:00.000Z', capacity: 5 })
      .expect(201);
    const booked = await t.http
      .post(`/visit-slots/${slot.body.id as string}/bookings`)
      .send({ name: 'Logged Visitor', email: 'visitor@example.org', partySize: 1 })
      .expect(201);
    const manageToken = new URL(String(booked.body.manageUrl)).searchParams.get('token')!;
    secrets.push(manageToken);
    await t.http.get(`/bookings/manage/${manageToken}`).expect(200);
    await t.http.get(`/p/visit/manage?token=${manageToken}`).expect(200);
    await t.http.post('/subscriptions').send({ email: 'reader@example.org' }).expect(202);
    const subscriptionMail = await t.smtp.waitForMailTo('reader@example.org');
    const confirmToken = /token=([A-Za-z0-9_-]{43})/.exec(subscriptionMail.parsed.text ?? '')![1];
    secrets.push(confirmToken);
    await t.http.get(`/subscriptions/confirm?token=${confirmToken}`).expect(200);
    await t.http.post('/subscriptions/confirm').send({ token: confirmToken }).expect(200);
    const role = await t.http
      .post(`/ceremonies/${ceremony.id}/volunteer-roles`)
      .set(admin)
      .send({ name: 'Stewards', capacity: 2, shiftStart: '09:00', shiftEnd: '11:00' })
      .expect(201);
    await t.http
      .post('/volunteers')
      .send({
        ceremonyId: ceremony.id,
        name: 'Logged Volunteer',
        email: 'volunteer@example.org',
        roleIds: [role.body.id],
        consentReminders: false,
      })
      .expect(202);
    await t.smtp.waitFor(
      (mails) => mails.some((mail) => mail.envelopeTo.includes('volunteer@example.org')),
      10_000,
      'volunteer link',
    );
    const volunteerToken = /token=([A-Za-z0-9_-]{43})/.exec(
      t.smtp.to('volunteer@example.org')[0].parsed.text ?? '',
    )![1];
    secrets.push(volunteerToken);
    await t.http.post('/volunteers/confirm').send({ token: volunteerToken }).expect(200);
    await t.http.get('/volunteers/me').set('X-Manage-Token', volunteerToken).expect(200);
    await t.http.get('/volunteers/me').set('X-Manage-Token', 'W'.repeat(43)).expect(404);
    secrets.push('W'.repeat(43));
    // The mails that carried the links: none of their text may be in the log either.
    for (const mail of t.smtp.received) secrets.push(mail.parsed.text!.trim());

    const body = 'A private message body that must not be logged';
    secrets.push(body);
    await t.app.get(MailService).send({ to: { address: 'reader@example.org' }, subject: 'Subject', text: body });

    // Probes are frequent and say nothing about users: they are answered but not logged.
    await t.http.get('/health').expect(200);
    await t.http.get('/health/ready').expect(200);

    const log = readFileSync(logFile, 'utf8');
    expect(log).not.toMatch(/"url":"\/health/);
    expect(secrets.length).toBeGreaterThanOrEqual(12);
    for (const secret of secrets) expect(log).not.toContain(secret);
    // The requests above were logged, with the token parts of their paths redacted.
    expect(log).toContain('"url":"/bookings/manage/[redacted]"');
    expect(log).toContain('"url":"/subscriptions/confirm?token=[redacted]"');
    expect(log).not.toMatch(/authorization/i);
    expect(log).toContain('"msg":"request completed"');
    expect(log).toMatch(/"req":\{"id":"[0-9a-f-]{36}","method":"POST","url":"\/auth\/login"\}/);
  });
});
