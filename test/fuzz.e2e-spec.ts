import fc from 'fast-check';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';
import { HandlerInfo, routerHandlers, rowCounts } from './support/routes';

/**
 * Malformed and hostile requests against every public route the running app holds (discovered from
 * the router and the @Public() metadata, so a route added later is fuzzed too). The service must never
 * answer 5xx, and a rejected request must never leave a row behind.
 */

const TOTAL_CASES = 6_000;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647); // eslint-disable-line no-process-env -- reproducible runs

/** Tables a route may write when it answers 2xx; any other change in row counts is a failure. */
const WRITES: Record<string, string[]> = {
  'POST /visit-slots/:slotId/bookings': ['bookings'],
  'POST /volunteers': ['volunteers', 'volunteer_assignments'],
  'POST /volunteers/confirm': ['volunteer_assignments'],
  'PATCH /volunteers/me': ['volunteer_assignments'],
  'DELETE /volunteers/me': ['volunteers', 'volunteer_assignments'],
  'POST /subscriptions': ['subscribers', 'subscriber_counts'],
  'POST /unsubscribe/:token': ['suppressions', 'subscriber_counts'],
};
/** At most this many rows change in one table for one accepted request. */
const MAX_ROWS_PER_REQUEST = 1; // one slot and one role exist: one booking, volunteer, assignment or subscriber
/** Tables where one accepted request may change more: a subscriber's change of state appends a row for the state left and one for the state entered. */
const MAX_ROWS_OF: Record<string, number> = { subscriber_counts: 2 };
/** Tables whose new rows must each carry the email of an accepted request. */
const EMAIL_TABLES = ['bookings', 'volunteers', 'subscribers'];
let emailCounter = 0;

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE bookings; --",
  '1; SELECT pg_sleep(5)',
  '" OR ""="',
  "\\'; --",
  '$1',
  '%',
  '_',
  '\u0000',
];
const HEADER_INJECTION = [
  'a\r\nSet-Cookie: x=1',
  'x\r\n\r\n<html>',
  '\r\nBcc: victim@example.org',
  'a%0d%0aX-Injected: 1',
];
const BAD_EMAILS = [
  'victim@example.org\r\nBcc: everyone@example.org',
  'a@b.example\nSubject: spam',
  '<script>@x.example',
  'a@',
  '@b.example',
  'a'.repeat(300) + '@b.example',
  'Δ@Δ.Δ',
  'a@b.example\u0000',
];
/** Quoted local parts that IsEmail alone accepts, and addresses longer than a mail path holds. */
const CONTROL_EMAILS = [
  '"a\rb"@example.org',
  '"a\nBcc: x@example.org"@example.org',
  '"a\u0000b"@example.org',
  '"a\tb"@example.org',
  '"a\u007fb"@example.org',
  '"a\u0085b"@example.org',
  '"a\u001bb"@example.org',
  `${'a'.repeat(64)}@${`${'b'.repeat(60)}.`.repeat(4)}example`,
];
const NUMBERS = [-1, 0, -2_147_483_649, 2_147_483_648, 1e308, -1e308, 1.5, Number.MAX_SAFE_INTEGER + 2, 501, 10_000];
const NUMERIC_STRINGS = ['1', '-1', '1e3', 'NaN', 'Infinity', '0x10', '', ' 2 ', '١'];

const deepObject = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
};
const deepArrayJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(...SQL, ...HEADER_INJECTION, ...BAD_EMAILS, ...CONTROL_EMAILS, ...NUMERIC_STRINGS),
  fc.constantFrom(...NUMBERS),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
  fc.integer({ min: 1_000, max: 60_000 }).map((length) => 'x'.repeat(length)),
  fc.integer({ min: 10, max: 3_000 }).map(deepObject),
  fc.constant({ __proto__: { admin: true } }),
  fc.constant(['00000000-0000-0000-0000-000000000000']),
);

/** A path parameter or token: well-formed unknown, malformed, hostile, or a real one. */
function tokenLike(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    // Often a real id or token, so the body behind it is reached and validated too.
    { weight: 3, arbitrary: fc.constantFrom(...real) },
    fc.uuid(),
    fc.string({
      minLength: 43,
      maxLength: 43,
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    }),
    fc.string({ minLength: 1, maxLength: 80 }),
    fc.constantFrom(
      ...SQL.filter((value) => value !== '\u0000'),
      '..%2F..%2Fetc%2Fpasswd',
      '%00',
      '%ff%fe',
      'A'.repeat(180),
      ...real,
    ),
  );
}

interface Case {
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  label: string;
}

function buildCase(
  route: HandlerInfo,
  template: Record<string, unknown>,
  params: string[],
  real: string[],
): fc.Arbitrary<Case> {
  const paramNames = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]);
  const pathArb = fc.tuple(...paramNames.map(() => tokenLike([...params, ...real]))).map((values) => {
    let index = 0;
    return route.path.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(values[index++] ?? ''));
  });
  // A payload built from the valid template: fields dropped, replaced with hostile values, unknown ones added.
  const mutated = fc
    .tuple(
      fc.array(
        fc.tuple(fc.constantFrom(...Object.keys(template), 'unknownField'), fc.oneof(fc.constant(undefined), hostile)),
        { minLength: 1, maxLength: 3 },
      ),
      fc.constantFrom(
        'status',
        'role',
        'id',
        'filled',
        'booked',
        'checkedInAt',
        'confirmed',
        'isAdmin',
        '__proto__',
        'constructor',
      ),
      fc.boolean(),
    )
    .map(([changes, extra, addExtra]) => {
      // A fresh address per case, so an accepted or wrongly written request always adds a row.
      const body: Record<string, unknown> = {
        ...template,
        ...('email' in template && template.email !== 'admin@test.example'
          ? { email: `fuzz-${(emailCounter += 1)}@example.org` }
          : {}),
      };
      for (const [key, value] of changes) {
        if (value === undefined) delete body[key];
        else body[key] = value;
      }
      if (addExtra) body[extra] = extra === 'role' ? 'admin' : true;
      return JSON.stringify(body);
    });
  const jsonBody = fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).map(deepArrayJson) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"a":',
        'null',
        '[]',
        '"x"',
        '{"email":"a@b.example",}',
        '{"__proto__":{"role":"admin"}}',
      ),
    },
  );
  const payloadArb: fc.Arbitrary<{ payload?: string | Buffer; contentType?: string; label: string }> = fc.oneof(
    { weight: 8, arbitrary: jsonBody.map((payload) => ({ payload, contentType: 'application/json', label: 'json' })) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
        payload: Buffer.concat([
          Buffer.from('{"email":"'),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from(bytes),
          Buffer.from('"}'),
        ]),
        contentType: 'application/json; charset=utf-8',
        label: 'invalid-utf8',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'text/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
            'application/json; charset=latin1',
            'application/octet-stream',
            '',
          ),
          mutated,
        )
        .map(([contentType, payload]) => ({
          payload: contentType.includes('urlencoded') ? 'token=%ff&email=a%0d%0ab' : payload,
          contentType,
          label: `ct:${contentType}`,
        })),
    },
    { weight: 1, arbitrary: fc.constant({ label: 'no-body' }) },
  );
  const headerArb = fc.oneof(
    fc.constant<Record<string, string>>({}),
    tokenLike(real).map((token) => ({ 'x-manage-token': token.replace(/[^\t\x20-\x7e]/g, '') })),
    fc.constantFrom(...SQL).map((value) => ({
      'x-manage-token': value.replace(/[^\t\x20-\x7e]/g, ''),
      'accept-language': value.replace(/[^\t\x20-\x7e]/g, ''),
    })),
  );
  const queryArb = fc.oneof(
    fc.constant(''),
    tokenLike(real).map((token) => `?token=${encodeURIComponent(token)}`),
    fc.constant('?token=a&token=b'),
    fc.constant('?token[]=x'),
  );
  return fc.tuple(pathArb, payloadArb, headerArb, queryArb).map(([path, body, headers, query]) => ({
    url: `${path}${query}`,
    headers: { ...headers, ...(body.contentType !== undefined ? { 'content-type': body.contentType } : {}) },
    payload: route.method === 'GET' ? undefined : body.payload,
    label: body.label,
  }));
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

describe('Fuzzing every public route', () => {
  let t: TestApp;
  let publicRoutes: HandlerInfo[];
  const templates: Record<string, Record<string, unknown>> = {};
  const params: string[] = [];
  const realTokens: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_RATE_LIMIT: '0', DATABASE_POOL_SIZE: '10' } });
    publicRoutes = routerHandlers(t).filter((route) => route.isPublic);
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    const organizer = await t.auth('organizer');
    const slot = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(organizer)
      .send({ startsAt: '2027-02-26T06:00:00.000Z', endsAt: '2027-02-26T06:30:00.000Z', capacity: 30 })
      .expect(201);
    const role = await t.http
      .post(`/ceremonies/${ceremony.id}/volunteer-roles`)
      .set(organizer)
      .send({ name: 'Carnations', capacity: 5, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    const booking = await t.http
      .post(`/visit-slots/${slot.body.id as string}/bookings`)
      .send({ name: 'Visitor', email: 'visitor@example.org', partySize: 2 })
      .expect(201);
    realTokens.push(new URL(String(booking.body.manageUrl)).searchParams.get('token')!);
    params.push(ceremony.id, slot.body.id as string, role.body.id as string, booking.body.id as string);
    const valid = { name: 'Leyla Aliyeva', email: 'fuzz@example.org' };
    Object.assign(templates, {
      'POST /auth/login': { email: 'admin@test.example', password: 'wrong-password-123' },
      'POST /visit-slots/:slotId/bookings': {
        ...valid,
        partySize: 2,
        phone: '+994 12 555 55 55',
        groupName: 'School',
        locale: 'az',
        waitlist: false,
      },
      'POST /volunteers': {
        ...valid,
        ceremonyId: ceremony.id,
        roleIds: [role.body.id],
        phone: '+994 50 123 45 67',
        languages: ['az'],
        note: 'n',
        locale: 'en',
        consentReminders: false,
      },
      'POST /volunteers/confirm': { token: realTokens[0] },
      'PATCH /volunteers/me': { name: 'New Name', roleIds: [role.body.id], consentReminders: true, note: 'n' },
      'POST /subscriptions': { ...valid, locale: 'ru' },
      'POST /subscriptions/confirm': { token: realTokens[0] },
    });
  });
  afterAll(() => t.close());

  it(`should answer no 5xx and write no row for rejected requests over ${TOTAL_CASES} generated cases`, async () => {
    expect(publicRoutes.length).toBeGreaterThanOrEqual(10);
    const perRoute = Math.ceil(TOTAL_CASES / publicRoutes.length);
    const cases: Array<Case & { route: HandlerInfo }> = [];
    for (const route of publicRoutes) {
      const template = templates[`${route.method} ${route.path}`] ?? {};
      for (const generated of fc.sample(buildCase(route, template, params, realTokens), {
        numRuns: perRoute,
        seed: SEED,
      }))
        cases.push({ ...generated, route });
    }

    const emailsIn = async () => {
      const found = new Set<string>();
      for (const table of EMAIL_TABLES)
        for (const row of await t.db.query<{ email: string | null }>(`SELECT email FROM "${table}"`))
          if (row.email) found.add(`${table}:${row.email.toLowerCase()}`);
      return found;
    };
    const before = await rowCounts(t);
    const emailsBefore = await emailsIn();
    const acceptedEmails = new Set<string>();
    const fastify = t.app.getHttpAdapter().getInstance();
    const serverErrors: string[] = [];
    const accepted: Record<string, number> = {};
    const statuses: Record<number, number> = {};
    const started = Date.now();
    await inParallel(cases, CONCURRENCY, async (sent) => {
      const response = await fastify.inject({
        method: sent.route.method as 'GET',
        url: sent.url,
        headers: sent.headers,
        payload: sent.payload,
      });
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      const key = `${sent.route.method} ${sent.route.path}`;
      if (response.statusCode >= 500)
        serverErrors.push(
          `${response.statusCode} ${key} ${sent.url.slice(0, 120)} [${sent.label}] ${String(sent.payload ?? '').slice(0, 200)} -> ${response.body.slice(0, 200)}`,
        );
      if (response.statusCode < 300) {
        accepted[key] = (accepted[key] ?? 0) + 1;
        const email = /"email":"([^"]*)"/.exec(String(sent.payload ?? ''))?.[1];
        if (email) acceptedEmails.add(email.trim().toLowerCase());
      }
    });
    const after = await rowCounts(t);
    // Figures for docs/reliability.md.
    process.stdout.write(
      `fuzz: seed ${SEED}, ${cases.length} cases on ${publicRoutes.length} public routes in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}; accepted ${JSON.stringify(accepted)}\n`,
    );

    expect(serverErrors.slice(0, 10)).toEqual([]);
    // Every new row holding an email belongs to a request that was accepted.
    const strays = [...(await emailsIn())].filter(
      (entry) => !emailsBefore.has(entry) && !acceptedEmails.has(entry.split(':')[1]),
    );
    expect(strays).toEqual([]);
    const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
    for (const table of changed) {
      const writers = Object.entries(WRITES).filter(
        ([key, tables]) => tables.includes(table) && (accepted[key] ?? 0) > 0,
      );
      const allowance = writers.reduce(
        (sum, [key]) => sum + accepted[key] * (MAX_ROWS_OF[table] ?? MAX_ROWS_PER_REQUEST),
        0,
      );
      expect({
        table,
        delta: Math.abs(after[table] - before[table]),
        withinAccepted: Math.abs(after[table] - before[table]) <= allowance,
      }).toEqual({
        table,
        delta: Math.abs(after[table] - before[table]),
        withinAccepted: true,
      });
    }
  }, 120_000);

  it('should refuse deeply nested JSON with 400, not a 500 from a stack overflow in validation', async () => {
    const response = await t.http
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send(deepArrayJson(5_000));
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/nested deeper/);
  });

  it('should refuse a NUL character in a stored or looked-up text with 400 and write nothing (was a 500 from PostgreSQL)', async () => {
    const before = await rowCounts(t);
    const login = await t.http.post('/auth/login').send({ email: 'a@b.example\u0000', password: 'wrong-password-123' });
    expect(login.status).toBe(400);
    const slotId = params[1];
    const booking = await t.http
      .post(`/visit-slots/${slotId}/bookings`)
      .send({ name: 'Nul\u0000Name', email: 'nul@example.org', partySize: 1 });
    expect(booking.status).toBe(400);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('should refuse email addresses with control characters or over the length limit with 400 naming the field, on every route that takes one, and write nothing', async () => {
    const admin = await t.auth('admin');
    const mailing = await t.http
      .post('/mailings')
      .set(admin)
      .send({
        name: 'Fuzz',
        audience: { kind: 'subscribers', ceremonyId: params[0] },
        content: { en: { subject: 'Hello', text: 'Hello {{name}}' } },
      })
      .expect(201);
    const bodies: Array<{
      method: 'post';
      url: string;
      body: Record<string, unknown>;
      auth?: boolean;
      field?: string;
    }> = [
      {
        method: 'post',
        url: `/visit-slots/${params[1]}/bookings`,
        body: templates['POST /visit-slots/:slotId/bookings'],
      },
      { method: 'post', url: '/volunteers', body: templates['POST /volunteers'] },
      { method: 'post', url: '/subscriptions', body: templates['POST /subscriptions'] },
      {
        method: 'post',
        url: '/users',
        body: { name: 'Staff', password: 'staff-password-123', role: 'organizer' },
        auth: true,
      },
      { method: 'post', url: `/mailings/${mailing.body.id as string}/test`, body: {}, auth: true },
      { method: 'post', url: `/mailings/${mailing.body.id as string}/preview`, body: {}, auth: true, field: 'sample' },
    ];
    const before = await rowCounts(t);
    const answers: string[] = [];
    for (const { url, body, auth, field = 'email' } of bodies) {
      for (const email of CONTROL_EMAILS) {
        const response = await t.http
          .post(url)
          .set(auth ? admin : {})
          .send({ ...body, [field]: email });
        const named = new RegExp(`${field} must`).test(JSON.stringify(response.body.message));
        answers.push(
          `${url} ${JSON.stringify(email).slice(0, 40)} -> ${response.status} ${named ? 'names the field' : JSON.stringify(response.body.message)}`,
        );
      }
    }
    expect(answers).toEqual(
      bodies.flatMap(({ url }) =>
        CONTROL_EMAILS.map((email) => `${url} ${JSON.stringify(email).slice(0, 40)} -> 400 names the field`),
      ),
    );
    expect(await rowCounts(t)).toEqual(before);
  });

  it('should have discovered every public route, including the ones added later', () => {
    const keys = publicRoutes.map((route) => `${route.method} ${route.path}`);
    expect(keys).toEqual(expect.arrayContaining(Object.keys(templates)));
  });
});
