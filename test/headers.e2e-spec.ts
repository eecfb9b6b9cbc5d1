import { DeliveriesQueue } from '../src/mailings/deliveries.queue';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';
import { rawHeader } from './support/smtp-sink';

/** The directive of a Content-Security-Policy header, as its list of sources. */
function directive(csp: string | undefined, name: string): string[] | undefined {
  const found = (csp ?? '')
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key === name);
  return found?.slice(1);
}

describe('Security headers', () => {
  let t: TestApp;
  let ceremonyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
  });

  /** A real subscription-confirm token and unsubscribe token: unknown ones answer JSON 404s, not pages. */
  async function realTokens(): Promise<{ confirm: string; unsubscribe: string }> {
    await t.http.post('/subscriptions').send({ email: 'headers@example.org', locale: 'en' }).expect(202);
    const confirmation = await t.smtp.waitForMailTo('headers@example.org');
    const confirm = /token=([A-Za-z0-9_-]{43})/.exec(confirmation.parsed.text ?? '')![1];
    await t.http.post('/subscriptions/confirm').send({ token: confirm }).expect(200);
    const admin = await t.auth('admin');
    const mailing = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Headers',
        audience: { kind: 'subscribers', ceremonyId },
        content: { en: { subject: 'Reminder', text: 'Unsubscribe: {{unsubscribeUrl}}' } },
      })
      .expect(201);
    t.smtp.clear();
    await t.http
      .post(`/mailings/${mailing.body.id as string}/send`)
      .set(admin)
      .send({})
      .expect(202);
    while ((await t.app.get(DeliveriesQueue).runner.processDueBatch()) > 0);
    const reminder = await t.smtp.waitForMailTo('headers@example.org');
    const unsubscribe = /\/unsubscribe\/([A-Za-z0-9_-]{43})>/.exec(rawHeader(reminder, 'List-Unsubscribe')!)![1];
    return { confirm, unsubscribe };
  }
  afterAll(() => t.close());

  it('should send a CSP whose scripts come only from this service, never inline, on every HTML page', async () => {
    const token = 'A'.repeat(43);
    const real = await realTokens();
    const pages = [
      '/p',
      '/p/visit',
      '/p/volunteer',
      `/p/visit/manage?token=${token}`,
      `/p/volunteer/confirm?token=${token}`,
      `/p/volunteer/me?token=${token}`,
      `/p/subscribe/confirm?token=${token}`,
      `/subscriptions/confirm?token=${real.confirm}`,
      `/unsubscribe/${real.unsubscribe}`,
      '/docs',
    ];
    const policies: Record<string, unknown> = {};
    for (const path of pages) {
      const response = await t.http.get(path).redirects(1);
      expect({ path, html: String(response.headers['content-type']) }).toEqual({
        path,
        html: expect.stringContaining('text/html'),
      });
      const csp = response.headers['content-security-policy'] as string | undefined;
      policies[path] = {
        scriptSrc: directive(csp, 'script-src'),
        scriptSrcAttr: directive(csp, 'script-src-attr'),
        frameAncestors: directive(csp, 'frame-ancestors'),
      };
    }
    for (const path of pages)
      expect({ path, policy: policies[path] }).toEqual({
        path,
        policy: { scriptSrc: ["'self'"], scriptSrcAttr: ["'none'"], frameAncestors: ["'none'"] },
      });
  });

  it('should send the same CSP on API answers and errors', async () => {
    for (const response of [
      await t.http.get('/health'),
      await t.http.get('/no-such-route'),
      await t.http.get('/users'),
    ]) {
      expect(directive(response.headers['content-security-policy'] as string, 'script-src')).toEqual(["'self'"]);
    }
  });

  it("should send helmet's other headers on every reply: an answer, a 404, a 401, a 400 and a staff answer", async () => {
    const admin = await t.auth('admin');
    for (const response of [
      await t.http.get('/health'),
      await t.http.get('/no-such-route'),
      await t.http.get('/users'),
      await t.http.post('/check-in').set(admin).send({}),
      await t.http.get('/users').set(admin),
    ]) {
      expect(response.headers).toMatchObject({
        'x-frame-options': 'SAMEORIGIN',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'x-dns-prefetch-control': 'off',
        'x-download-options': 'noopen',
        'x-permitted-cross-domain-policies': 'none',
        'x-xss-protection': '0',
      });
      expect(directive(response.headers['content-security-policy'] as string, 'frame-ancestors')).toEqual(["'none'"]);
    }
  });

  it('should send no Strict-Transport-Security over plain http, and ignore X-Forwarded-Proto from an untrusted client', async () => {
    const plain = await t.http.get('/health').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const forged = await t.http.get('/health').set('X-Forwarded-Proto', 'https').expect(200);
    expect(forged.headers['strict-transport-security']).toBeUndefined();
  });

  it('should send Strict-Transport-Security when a trusted proxy says the request came over https', async () => {
    // One trusted hop: the test client on loopback stands for the proxy.
    const proxied = await createTestApp({ database: t.db, env: { TRUST_PROXY: '1' } });
    try {
      const https = await proxied.http.get('/p').set('X-Forwarded-Proto', 'https').expect(200);
      expect(https.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      const error = await proxied.http.get('/no-such-route').set('X-Forwarded-Proto', 'https').expect(404);
      expect(error.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      const http = await proxied.http.get('/p').set('X-Forwarded-Proto', 'http').expect(200);
      expect(http.headers['strict-transport-security']).toBeUndefined();
      expect((await proxied.http.get('/p').expect(200)).headers['strict-transport-security']).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });
});
