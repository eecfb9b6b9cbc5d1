import { createServer } from 'node:net';
import { createTestApp, TestApp } from './support/app';

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)));
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
    await t.http.get('/metrics').set(await t.auth('organizer')).expect(403);
  });

  it('should count requests by route pattern and status, and show the pool', async () => {
    const admin = await t.auth('admin');
    const before = (await t.http.get('/metrics').set(admin).expect(200)).text;
    const loginsBefore = metricValue(before, 'http_requests_total', { method: 'POST', route: '/auth/login', status: '401' });
    for (let attempt = 0; attempt < 3; attempt += 1) await t.http.post('/auth/login').send({ email: 'x@test.example', password: 'wrong' }).expect(401);
    await t.http.get('/users/00000000-0000-4000-8000-000000000000').set(admin);
    const after = (await t.http.get('/metrics').set(admin).expect(200)).text;
    expect(metricValue(after, 'http_requests_total', { method: 'POST', route: '/auth/login', status: '401' })).toBe(loginsBefore + 3);
    expect(after).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/auth\/login"/);
    expect(after).toMatch(/db_pool_connections\{state="total"\} [1-9]/);
    expect(after).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('should serve /metrics without auth on METRICS_PORT', async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('http_requests_total');
  });
});
