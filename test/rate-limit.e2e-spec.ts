import type { Response } from 'supertest';
import { FixedClock } from '../src/common/clock';
import { RateLimits } from '../src/common/rate-limit.service';
import { ADMIN, createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * The rate limits as a client meets them: public writes share one budget per client IP, counted in
 * PostgreSQL so every instance sees the same count; the client IP is the one the trusted proxies
 * say, never a hop the client wrote itself; login is limited per account as well as per IP.
 */

const NOW = new Date('2027-01-15T08:00:00Z');

async function publicSlot(t: TestApp, ceremonyId: string, hour: number): Promise<string> {
  const [slot] = await t.db.query<{ id: string }>(
    `INSERT INTO visit_slots (ceremony_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, 500) RETURNING id`,
    [ceremonyId, new Date(Date.UTC(2027, 1, 26, hour, 0)), new Date(Date.UTC(2027, 1, 26, hour, 30))],
  );
  return slot.id;
}

function statusesOf(responses: Response[]): number[] {
  return responses.map((response) => response.status);
}

describe('One public write budget per client IP, shared by two instances', () => {
  let first: TestApp;
  let second: TestApp;
  let slotId: string;
  let ceremonyId: string;
  let roleId: string;

  beforeAll(async () => {
    const clock = new FixedClock(NOW);
    // Behind one proxy, so each test can play a client IP of its own.
    const env = { PUBLIC_RATE_LIMIT: '5', TRUST_PROXY: '1' };
    first = await createTestApp({ clock, env });
    second = await createTestApp({ clock, database: first.db, smtp: first.smtp, env });
    ceremonyId = (await insertCeremony(first.db, { year: 2027 })).id;
    slotId = await publicSlot(first, ceremonyId, 6);
    const role = await first.http
      .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
      .set(await first.auth('organizer'))
      .send({ name: 'Carnations', capacity: 50, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    roleId = role.body.id as string;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** A booking, a subscription or a volunteer sign-up, by turns, on the first or the second instance by turns. */
  function write(index: number, client: string) {
    const app = index % 2 === 0 ? first : second;
    const email = `shared-${client}-${index}@example.org`;
    if (index % 3 === 0)
      return app.http
        .post(`/visit-slots/${slotId}/bookings`)
        .set('X-Forwarded-For', client)
        .send({ name: 'Visitor', email, partySize: 1 });
    if (index % 3 === 1)
      return app.http.post('/subscriptions').set('X-Forwarded-For', client).send({ email, locale: 'en' });
    return app.http
      .post('/volunteers')
      .set('X-Forwarded-For', client)
      .send({ ceremonyId, name: 'Volunteer', email, roleIds: [roleId], consentReminders: false, locale: 'en' });
  }

  it('should spend one budget on bookings, subscriptions and volunteer sign-ups alike, on either instance', async () => {
    const statuses = [];
    for (let index = 0; index < 8; index += 1) statuses.push((await write(index, '203.0.113.1')).status);
    expect(statuses).toEqual([201, 202, 202, 201, 202, 429, 429, 429]);
  });

  it('should let exactly 5 of 15 simultaneous writes through across both instances, and refuse the rest with 429, Retry-After and a NestJS body', async () => {
    const responses = await Promise.all(Array.from({ length: 15 }, (_, index) => write(index, '203.0.113.2')));
    const statuses = statusesOf(responses);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expect(statuses.filter((status) => status === 201 || status === 202)).toHaveLength(5);
    for (const limited of responses.filter((response) => response.status === 429)) {
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(limited.body).toEqual({
        statusCode: 429,
        message: 'Too many requests; please wait before trying again',
        error: 'Too Many Requests',
      });
    }
    // Both instances refused some: neither counted on its own.
    expect(responses.some((response, index) => response.status === 429 && index % 2 === 0)).toBe(true);
    expect(responses.some((response, index) => response.status === 429 && index % 2 === 1)).toBe(true);
    // One counter row per client IP, in the database both instances share.
    const [{ rows }] = await first.db.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM rate_limits WHERE key LIKE 'public:%'`,
    );
    expect(rows).toBe(2);
  });

  it('should count the uses of one turn together, key by key in the order asked, and refuse a used-up key from memory', async () => {
    const limits = first.app.get(RateLimits);
    const asked = Array.from({ length: 30 }, (_, index) => (index % 3 === 0 ? 'batch-b' : 'batch-a'));
    const decisions = await Promise.all(asked.map((key) => limits.consume('public', key)));
    const allowedOf = (key: string) =>
      decisions.filter((decision, index) => asked[index] === key).map((decision) => decision.allowed);
    // The first five asks of each key fit, in the order they were made; the rest say when to come back.
    expect(allowedOf('batch-a')).toEqual([...Array(5).fill(true), ...Array(15).fill(false)]);
    expect(allowedOf('batch-b')).toEqual([...Array(5).fill(true), ...Array(5).fill(false)]);
    for (const decision of decisions)
      if (!decision.allowed) expect(decision.retryAfterSeconds >= 1 && decision.retryAfterSeconds <= 60).toBe(true);
    const points = async () =>
      await first.db.query<{ key: string; points: number }>(
        `SELECT key, points FROM rate_limits WHERE key IN ('public:batch-a', 'public:batch-b') ORDER BY key`,
      );
    expect(await points()).toEqual([
      { key: 'public:batch-a', points: 20 },
      { key: 'public:batch-b', points: 10 },
    ]);
    // Both rows written by one statement (one transaction id); a statement per use would leave the last updater's on each.
    const writers = await first.db.query<{ writers: number }>(
      `SELECT count(DISTINCT xmin::text)::int AS writers FROM rate_limits WHERE key IN ('public:batch-a', 'public:batch-b')`,
    );
    expect(writers).toEqual([{ writers: 1 }]);
    // Used up: refused by this instance without counting again; the other instance asks the database, which refuses too.
    expect((await limits.consume('public', 'batch-a')).allowed).toBe(false);
    expect(await points()).toEqual([
      { key: 'public:batch-a', points: 20 },
      { key: 'public:batch-b', points: 10 },
    ]);
    expect((await second.app.get(RateLimits).consume('public', 'batch-b')).allowed).toBe(false);
    expect((await points())[1]).toEqual({ key: 'public:batch-b', points: 11 });
  });
});

describe('The client IP behind proxies', () => {
  async function budgetOf(env: Record<string, string | undefined>, body: (t: TestApp) => Promise<void>) {
    const t = await createTestApp({ env: { PUBLIC_RATE_LIMIT: '2', ...env } });
    try {
      await body(t);
    } finally {
      await t.close();
    }
  }
  const subscribe = (t: TestApp, forwardedFor: string, index: number) =>
    t.http
      .post('/subscriptions')
      .set('X-Forwarded-For', forwardedFor)
      .send({ email: `proxy-${index}@example.org`, locale: 'en' });

  it('should count by the hop the proxy appended with TRUST_PROXY=1, whatever the client put first', async () => {
    await budgetOf({ TRUST_PROXY: '1' }, async (t) => {
      const statuses = [];
      for (let index = 0; index < 3; index += 1)
        statuses.push((await subscribe(t, `1.2.3.${index + 10}, 203.0.113.7`, index)).status);
      expect(statuses).toEqual([202, 202, 429]);
      // Another real client (last hop) has its own budget, even when it spoofs the first one's address.
      expect((await subscribe(t, '203.0.113.7, 203.0.113.8', 3)).status).toBe(202);
    });
  });

  it('should count by the first hop not in the TRUST_PROXY list of addresses and CIDRs', async () => {
    await budgetOf({ TRUST_PROXY: '127.0.0.0/8, ::1, 10.0.0.0/8' }, async (t) => {
      const statuses = [];
      // The client wrote 1.2.3.x, the edge proxy saw 198.51.100.4, an inner proxy (10.1.2.3) forwarded it.
      for (let index = 0; index < 3; index += 1)
        statuses.push((await subscribe(t, `1.2.3.${index + 10}, 198.51.100.4, 10.1.2.3`, index)).status);
      expect(statuses).toEqual([202, 202, 429]);
      expect((await subscribe(t, '198.51.100.4, 198.51.100.5, 10.1.2.3', 3)).status).toBe(202);
    });
  });

  it('should ignore X-Forwarded-For without TRUST_PROXY', async () => {
    await budgetOf({ TRUST_PROXY: undefined }, async (t) => {
      const statuses = [];
      for (let index = 0; index < 3; index += 1)
        statuses.push((await subscribe(t, `203.0.113.${index + 20}`, index)).status);
      expect(statuses).toEqual([202, 202, 429]);
    });
  });
});

describe('Login attempts per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Per-IP login limit off and every attempt from another IP: only the account budget can refuse.
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT: '0', LOGIN_ACCOUNT_RATE_LIMIT: '3', TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  let ip = 0;
  const login = (email: string, password: string) =>
    t.http
      .post('/auth/login')
      .set('X-Forwarded-For', `198.51.100.${(ip += 1)}`)
      .send({ email, password });

  it('should refuse the fourth attempt on one account from any IP, counting the email however it is written', async () => {
    const statuses = [];
    statuses.push((await login(ADMIN.email, 'wrong-password')).status);
    statuses.push((await login(ADMIN.email.toUpperCase(), 'wrong-password')).status);
    statuses.push((await login(` ${ADMIN.email} `, 'wrong-password')).status);
    const limited = await login(ADMIN.email, ADMIN.password);
    expect(statuses).toEqual([401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
  });

  it('should count an unknown email alike, so the replies tell nothing', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await login('nobody@test.example', 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another account is not affected.
    expect((await login('someone-else@test.example', 'wrong-password')).status).toBe(401);
  });
});

describe('The limiter when its store cannot be reached', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_RATE_LIMIT: '3' } });
  });
  afterAll(() => t.close());

  it('should still limit (in the memory of the instance) and never answer 5xx while the counters table is unreachable', async () => {
    await t.db.query('ALTER TABLE rate_limits RENAME TO rate_limits_away');
    try {
      const statuses = [];
      for (let index = 0; index < 5; index += 1)
        statuses.push(
          (await t.http.post('/subscriptions').send({ email: `outage-${index}@example.org`, locale: 'en' })).status,
        );
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      // The store was really out of use: nothing was counted in the (renamed) table.
      const [{ rows }] = await t.db.query<{ rows: number }>('SELECT count(*)::int AS rows FROM rate_limits_away');
      expect(rows).toBe(0);
    } finally {
      await t.db.query('ALTER TABLE rate_limits_away RENAME TO rate_limits');
    }
    // Back to the shared store: a fresh count there (the memory count of the outage is not carried over).
    expect((await t.http.post('/subscriptions').send({ email: 'after@example.org', locale: 'en' })).status).toBe(202);
    const [{ rows }] = await t.db.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM rate_limits WHERE key LIKE 'public:%'`,
    );
    expect(rows).toBe(1);
  });
});
