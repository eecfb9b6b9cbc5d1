import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp } from './support/app';

// A file of its own: the request logger is built once per process (nestjs-pino), so a second app
// in the same test file would write to the first one's log file.
describe('Token redaction in the request log', () => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'commemoration-log-')), 'app.log');
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info', LOG_FILE: logFile } });
  });
  afterAll(() => t.close());

  it('should redact a token wherever it is in the path or query of every token route shape', async () => {
    const token = 'Tk_-'.repeat(10) + 'abc';
    const encoded = token.replace(/T/g, '%54');
    // Every route that takes a token, and the same followed by more in its segment or the query.
    const shapes: Array<[method: 'get' | 'post' | 'delete', url: string, logged: string]> = [
      ['get', `/bookings/manage/${token}`, '/bookings/manage/[redacted]'],
      ['delete', `/bookings/manage/${token}`, '/bookings/manage/[redacted]'],
      ['get', `/bookings/manage/${token}/export`, '/bookings/manage/[redacted]/export'],
      ['get', `/bookings/manage/${token}.ics?x=1`, '/bookings/manage/[redacted].ics?x=1'],
      ['get', `/unsubscribe/${token}`, '/unsubscribe/[redacted]'],
      ['get', `/unsubscribe/${token}?x`, '/unsubscribe/[redacted]?x'],
      ['post', `/unsubscribe/${token}`, '/unsubscribe/[redacted]'],
      ['get', `/unsubscribe/${token};x`, '/unsubscribe/[redacted];x'],
      ['get', `/unsubscribe/${encoded}`, '/unsubscribe/[redacted]'],
      ['get', `/subscriptions/confirm?token=${token}`, '/subscriptions/confirm?token=[redacted]'],
      ['get', `/subscriptions/confirm?lang=en&token=${token}x`, '/subscriptions/confirm?lang=en&token=[redacted]'],
      ['get', `/p/visit/manage?token=${token}`, '/p/visit/manage?token=[redacted]'],
      ['get', `/p/volunteer/confirm?token=${token}&lang=az`, '/p/volunteer/confirm?token=[redacted]&lang=az'],
      ['get', `/p/volunteer/me?token=${token}`, '/p/volunteer/me?token=[redacted]'],
      ['get', `/p/subscribe/confirm?token=short-but-named`, '/p/subscribe/confirm?token=[redacted]'],
      ['get', `/ceremonies?ref=${token}`, '/ceremonies?ref=[redacted]'],
    ];
    for (const [method, url] of shapes) await t.http[method](url).send({});
    const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    const urls = lines.map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url).filter(Boolean);
    expect(lines.join('\n')).not.toMatch(/Tk_-Tk_-|%54k_-|short-but-named/);
    expect(shapes.filter(([, , logged]) => !urls.includes(logged)).map(([method, url]) => `${method} ${url}`)).toEqual(
      [],
    );
    expect(shapes.length).toBe(16);
  });
});
