import { createServer } from 'node:net';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Metrics', () => {
  let t: TestApp;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    t = await createTestApp({ env: { METRICS_PORT: String(metricsPort) } });
  });
  afterAll(() => t.close());

  it('should require an admin token on the API port', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http
      .get('/metrics')
      .set(await t.auth('organizer'))
      .expect(403);
  });

  it('should count requests by route pattern and status, and show the pool', async () => {
    const admin = await t.auth('admin');
    const before = (await t.http.get('/metrics').set(admin).expect(200)).text;
    const loginsBefore = metricValue(before, 'http_requests_total', {
      method: 'POST',
      route: '/auth/login',
      status: '401',
    });
    for (let attempt = 0; attempt < 3; attempt += 1)
      await t.http.post('/auth/login').send({ email: 'x@test.example', password: 'wrong' }).expect(401);
    await t.http.get('/users/00000000-0000-4000-8000-000000000000').set(admin);
    const after = (await t.http.get('/metrics').set(admin).expect(200)).text;
    expect(metricValue(after, 'http_requests_total', { method: 'POST', route: '/auth/login', status: '401' })).toBe(
      loginsBefore + 3,
    );
    expect(after).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/auth\/login"/);
    expect(after).toMatch(/db_pool_connections\{state="total"\} [1-9]/);
    expect(after).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('should count bookings and sign-ups as they happen', async () => {
    const admin = await t.auth('admin');
    const scrape = async () => (await t.http.get('/metrics').set(admin).expect(200)).text;
    const before = await scrape();
    const ceremony = await insertCeremony(t.db, { year: 2031 });
    const slot = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(admin)
      .send({ startsAt: '2031-02-26T08:00:00Z', endsAt: '2031-02-26T09:00:00Z', capacity: 2 })
      .expect(201);
    await t.http
      .post(`/visit-slots/${slot.body.id}/bookings`)
      .send({ name: 'One', email: 'one@example.org', partySize: 2 })
      .expect(201);
    await t.http
      .post(`/visit-slots/${slot.body.id}/bookings`)
      .send({ name: 'Two', email: 'two@example.org', partySize: 1, waitlist: true })
      .expect(201);
    await t.http.post('/subscriptions').send({ email: 'subscriber@example.org' }).expect(202);
    await t.app.get(JobsQueue).runner.settled();
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);
    expect(delta('visit_bookings_total', { outcome: 'confirmed' })).toBe(1);
    expect(delta('visit_bookings_total', { outcome: 'waitlisted' })).toBe(1);
    expect(delta('signups_total', { kind: 'subscriber', step: 'requested' })).toBe(1);
    // The two booking mails (composed and sent by their job) and the opt-in mail, through the job queue.
    expect(delta('jobs_total', { kind: 'visit.mail', outcome: 'done' })).toBe(2);
    expect(delta('jobs_total', { kind: 'mail.send', outcome: 'done' })).toBe(1);
  });

  it('should serve /metrics without auth on METRICS_PORT', async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('http_requests_total');
  });
});
