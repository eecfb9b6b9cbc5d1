import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { appConfig, AppConfig } from '../src/config/app.config';
import { createTestApp, TestApp } from './support/app';
import { HandlerInfo, routerHandlers } from './support/routes';

/** A concrete URL for a route pattern: ids become random UUIDs, tokens random 43-character strings. */
function concrete(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => (/token/i.test(name) ? 'A'.repeat(43) : randomUUID()));
}

describe('Access control on every route', () => {
  let t: TestApp;
  let staffRoutes: HandlerInfo[];

  beforeAll(async () => {
    t = await createTestApp();
    // The router is the source of truth: every route it holds must be accounted for.
    staffRoutes = routerHandlers(t).filter((handler) => !handler.isPublic);
  });
  afterAll(() => t.close());

  it('should find the staff routes in the running app', () => {
    expect(staffRoutes.length).toBeGreaterThanOrEqual(5);
    expect(staffRoutes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['GET /users', 'GET /audit-log']),
    );
  });

  it('should answer 401 without a token on every staff route', async () => {
    for (const route of staffRoutes) {
      const response = await t.http[route.method.toLowerCase() as 'get'](concrete(route.path)).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
      });
    }
  });

  it('should answer 401 with a token signed by another key, an expired token and a malformed one', async () => {
    const admin = await t.auth('admin');
    const { sub } = JSON.parse(Buffer.from(admin.Authorization.split('.')[1], 'base64url').toString()) as {
      sub: string;
    };
    const forged = await new JwtService({ secret: 'another-secret-of-sufficient-length-0123456789' }).signAsync(
      { sub, role: 'admin' },
      { issuer: 'commemoration-api' },
    );
    const expired = await new JwtService({ secret: 'test-secret-that-is-long-enough-for-hs256-signing' }).signAsync(
      { sub, role: 'admin', exp: Math.floor(Date.now() / 1000) - 1 },
      { issuer: 'commemoration-api' },
    );
    for (const route of staffRoutes) {
      for (const token of [forged, expired, 'not.a.jwt', `${admin.Authorization.slice(7)}x`]) {
        const response = await t.http[route.method.toLowerCase() as 'get'](concrete(route.path))
          .set('Authorization', `Bearer ${token}`)
          .send({});
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
          route: `${route.method} ${route.path}`,
          status: 401,
        });
      }
    }
  });

  it('should answer 403 to an organizer on every admin-only route', async () => {
    const organizer = await t.auth('organizer');
    const adminOnly = staffRoutes.filter((route) => route.roles?.length === 1 && route.roles[0] === 'admin');
    expect(adminOnly.length).toBeGreaterThan(0);
    for (const route of adminOnly) {
      const response = await t.http[route.method.toLowerCase() as 'get'](concrete(route.path)).set(organizer).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 403,
      });
    }
  });
});

describe('HTTP hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://allowed.example' } });
  });
  afterAll(() => t.close());

  it('should send security headers', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should allow only the configured CORS origins', async () => {
    const allowed = await t.http
      .options('/auth/login')
      .set('Origin', 'https://allowed.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://allowed.example');
    const refused = await t.http
      .options('/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should refuse a body over the limit with 413', async () => {
    const response = await t.http.post('/auth/login').send({ email: 'a@b.example', password: 'x'.repeat(4000) });
    expect(response.status).toBe(413);
  });

  it('should refuse a body that is not JSON with 415', async () => {
    const response = await t.http.post('/auth/login').set('Content-Type', 'text/xml').send('<login/>');
    expect(response.status).toBe(415);
  });
});

describe('CORS by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The environment of the app above stays in process.env: unset it, or this would test CORS_ORIGINS again.
    t = await createTestApp({ env: { CORS_ORIGINS: undefined } });
  });
  afterAll(() => t.close());

  it('should be closed', async () => {
    expect(t.app.get<AppConfig>(appConfig.KEY).corsOrigins).toEqual([]);
    const response = await t.http.get('/health').set('Origin', 'https://anywhere.example');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options('/auth/login')
      .set('Origin', 'https://anywhere.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('Rate limits on every public write', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind one proxy: each route is tried from a client IP of its own, since public writes share one budget per IP.
    t = await createTestApp({
      env: {
        PUBLIC_RATE_LIMIT: '2',
        LOGIN_RATE_LIMIT: '2',
        TRUST_PROXY: '1',
        CORS_ORIGINS: undefined,
        BODY_LIMIT_BYTES: undefined,
      },
    });
  });
  afterAll(() => t.close());

  it('should answer 429 with Retry-After on the third write within a minute, on every public write route of the router', async () => {
    // Discovered, like the access checks: a public write added later without @PublicWriteLimit() fails here.
    const writes = routerHandlers(t).filter(
      (route) => route.isPublic && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method),
    );
    expect(writes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /auth/login',
        'POST /visit-slots/:slotId/bookings',
        'POST /volunteers',
        'POST /subscriptions',
      ]),
    );
    expect(writes.length).toBeGreaterThanOrEqual(10);
    for (const [index, route] of writes.entries()) {
      const url = concrete(route.path);
      const client = `198.51.100.${index + 1}`;
      const call = () =>
        t.http[route.method.toLowerCase() as 'post'](url)
          .set('X-Forwarded-For', client)
          .set('X-Manage-Token', 'A'.repeat(43))
          .send({});
      // The limit counts every attempt, valid or not (the guard runs before validation).
      for (let attempt = 0; attempt < 2; attempt += 1)
        expect({ route: `${route.method} ${route.path}`, status: (await call()).status }).not.toEqual({
          route: `${route.method} ${route.path}`,
          status: 429,
        });
      const limited = await call();
      const retryAfter = Number(limited.headers['retry-after']);
      expect({
        route: `${route.method} ${route.path}`,
        status: limited.status,
        retryAfterInRange: retryAfter >= 1 && retryAfter <= 60,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 429,
        retryAfterInRange: true,
      });
    }
  });
});
