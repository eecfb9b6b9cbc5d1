import { createTestApp, TestApp, ADMIN } from './support/app';

describe('Auth and staff users', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should log the first admin in and return who they are', async () => {
    const login = await t.http.post('/auth/login').send(ADMIN).expect(200);
    expect(login.body.expiresIn).toBeGreaterThan(0);
    const me = await t.http.get('/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin' });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('should answer an unknown email and a wrong password with the same reply', async () => {
    const unknown = await t.http
      .post('/auth/login')
      .send({ email: 'nobody@test.example', password: ADMIN.password })
      .expect(401);
    const wrong = await t.http
      .post('/auth/login')
      .send({ email: ADMIN.email, password: 'not-the-password' })
      .expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body).toEqual({ statusCode: 401, message: 'Invalid email or password', error: 'Unauthorized' });
  });

  it('should refuse a staff route without a token, with a tampered token and with an expired one', async () => {
    await t.http.get('/users').expect(401);
    const { Authorization } = await t.auth('admin');
    const [header, payload, signature] = Authorization.slice('Bearer '.length).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        role: 'admin',
        sub: '00000000-0000-4000-8000-000000000000',
      }),
    ).toString('base64url');
    await t.http.get('/users').set('Authorization', `Bearer ${header}.${forged}.${signature}`).expect(401);
    const { JwtService } = await import('@nestjs/jwt');
    const expired = await new JwtService({ secret: 'test-secret-that-is-long-enough-for-hs256-signing' }).signAsync(
      {
        sub: JSON.parse(Buffer.from(payload, 'base64url').toString()).sub,
        role: 'admin',
        exp: Math.floor(Date.now() / 1000) - 60,
      },
      { issuer: 'commemoration-api' },
    );
    await t.http.get('/users').set('Authorization', `Bearer ${expired}`).expect(401);
    await t.http.get('/users').set('Authorization', Authorization).expect(200);
  });

  it('should forbid an organizer from managing users', async () => {
    const organizer = await t.auth('organizer');
    const response = await t.http.get('/users').set(organizer).expect(403);
    expect(response.body.message).toMatch(/role/);
    await t.http.get('/auth/me').set(organizer).expect(200);
  });

  it('should create a user, refuse a duplicate email with 409, and record both in the audit log', async () => {
    const admin = await t.auth('admin');
    const created = await t.http
      .post('/users')
      .set(admin)
      .send({ email: 'Volunteer.Lead@Test.Example', password: 'a-long-password', role: 'organizer', name: 'Lead' })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'volunteer.lead@test.example', role: 'organizer' });
    expect(created.body.passwordHash).toBeUndefined();
    const duplicate = await t.http
      .post('/users')
      .set(admin)
      .send({ email: 'volunteer.lead@test.example', password: 'a-long-password', role: 'organizer', name: 'Lead' })
      .expect(409);
    expect(duplicate.body.message).toContain('already exists');
    const audit = await t.http
      .get('/audit-log')
      .query({ entityType: 'user', entityId: created.body.id })
      .set(admin)
      .expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.create',
      actorEmail: ADMIN.email,
      after: { email: 'volunteer.lead@test.example' },
    });
    expect(JSON.stringify(audit.body)).not.toContain('passwordHash');
  });

  it('should name each failing field in a validation error', async () => {
    const admin = await t.auth('admin');
    const response = await t.http
      .post('/users')
      .set(admin)
      .send({ email: 'not-an-email', password: 'short', role: 'king' })
      .expect(400);
    const messages: string[] = response.body.message;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^email/),
        expect.stringMatching(/^password/),
        expect.stringMatching(/^role/),
        expect.stringMatching(/^name/),
      ]),
    );
    expect(response.body.error).toBe('Bad Request');
  });

  it('should reject unknown fields', async () => {
    const response = await t.http
      .post('/auth/login')
      .send({ ...ADMIN, isAdmin: true })
      .expect(400);
    expect(response.body.message).toEqual(['property isAdmin should not exist']);
  });

  it('should answer malformed JSON with 400, not 500', async () => {
    const response = await t.http
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(response.body.statusCode).toBe(400);
  });

  it('should keep the last admin', async () => {
    const admin = await t.auth('admin');
    const me = await t.http.get('/auth/me').set(admin).expect(200);
    await t.http.delete(`/users/${me.body.id}`).set(admin).expect(409);
    await t.http.patch(`/users/${me.body.id}`).set(admin).send({ role: 'organizer' }).expect(409);
  });
});

describe('Login rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT: '3' } });
  });
  afterAll(() => t.close());

  it('should answer 429 with Retry-After once the limit is reached', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await t.http.post('/auth/login').send({ email: ADMIN.email, password: 'wrong-password' }).expect(401);
    }
    const limited = await t.http.post('/auth/login').send(ADMIN).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
