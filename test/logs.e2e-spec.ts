import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailService } from '../src/mail/mail.service';
import { ADMIN, createTestApp, TestApp } from './support/app';

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
    await t.http.post('/users').set(admin).send({ email: 'logged@test.example', password: newPassword, role: 'organizer', name: 'Logged' }).expect(201);
    await t.http.post('/auth/login').send({ email: 'logged@test.example', password: 'wrong-password-secret' }).expect(401);
    secrets.push('wrong-password-secret');
    const selfServiceToken = 'Q'.repeat(43);
    secrets.push(selfServiceToken);
    await t.http.get(`/bookings/manage/${selfServiceToken}`);
    const body = 'A private message body that must not be logged';
    secrets.push(body);
    await t.app.get(MailService).send({ to: { address: 'reader@example.org' }, subject: 'Subject', text: body });

    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('"msg":"request completed"');
    expect(log).toMatch(/"req":\{"id":"[0-9a-f-]{36}","method":"POST","url":"\/auth\/login"\}/);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/authorization/i);
  });
});
