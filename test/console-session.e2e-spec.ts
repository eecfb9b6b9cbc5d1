import { ADMIN, createTestApp, TestApp } from './support/app';

const EDITION = {
  year: 2031,
  title: 'Remembrance 2031',
  startTime: '10:00',
  venue: { name: 'Khojaly Genocide Memorial', address: 'Khatai district, Baku' },
};

/** The console's session: an HttpOnly cookie holding the API's token, guarded against cross-site writes. */
describe('Console session (cookie)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  function setCookie(headers: Record<string, unknown>): string {
    const raw = headers['set-cookie'];
    const cookies = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
    const session = cookies.find((value) => value.startsWith('console_session='));
    if (!session) throw new Error(`No console_session cookie in ${JSON.stringify(raw)}`);
    return session;
  }

  async function signIn(email: string, password: string): Promise<string> {
    const response = await t.http.post('/auth/session').send({ email, password }).expect(200);
    expect(response.body).toEqual({ expiresIn: expect.any(Number) });
    return setCookie(response.headers).split(';')[0];
  }

  async function createOrganizer(
    email: string,
    password = 'organizer-pass-4711',
  ): Promise<{ email: string; password: string }> {
    await t.http
      .post('/users')
      .set(await t.auth('admin'))
      .send({ email, password, role: 'organizer', name: 'Organizer' })
      .expect(201);
    return { email, password };
  }

  it('should set an HttpOnly, SameSite=Strict cookie on path / with the session and no token in the body', async () => {
    const response = await t.http.post('/auth/session').send(ADMIN).expect(200);
    const cookie = setCookie(response.headers);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    expect(JSON.stringify(response.body)).not.toContain(cookie.split(';')[0].split('=')[1]);
  });

  it('should mark the cookie Secure when the request came over https through a trusted proxy', async () => {
    // '1': one trusted hop, read the same way as a boolean and as a hop count.
    const proxied = await createTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      const response = await proxied.http
        .post('/auth/session')
        .set('X-Forwarded-Proto', 'https')
        .send(ADMIN)
        .expect(200);
      expect(setCookie(response.headers)).toMatch(/Secure/i);
    } finally {
      await proxied.close();
    }
  });

  it('should refuse a wrong password with 401 and set no cookie', async () => {
    const response = await t.http
      .post('/auth/session')
      .send({ email: ADMIN.email, password: 'wrong-password' })
      .expect(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toMatchObject({ message: 'Invalid email or password' });
  });

  it('should authenticate a read by the cookie alone', async () => {
    const cookie = await signIn(ADMIN.email, ADMIN.password);
    const me = await t.http.get('/auth/me').set('Cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ email: ADMIN.email, role: 'admin' });
  });

  it('should refuse a write by cookie without the console header with 403, and accept it with the header', async () => {
    const cookie = await signIn(ADMIN.email, ADMIN.password);
    const refused = await t.http.post('/ceremonies').set('Cookie', cookie).send(EDITION).expect(403);
    expect(refused.body).toMatchObject({ code: 'console_header_required' });
    expect((await t.http.get('/ceremonies').set(await t.auth('admin'))).body).toMatchObject({ total: 0 });
    await t.http.post('/ceremonies').set('Cookie', cookie).set('X-Requested-With', 'console').send(EDITION).expect(201);
  });

  it('should show staff by cookie the drafts a public route hides, and the public only published editions', async () => {
    const cookie = await signIn(ADMIN.email, ADMIN.password);
    const draft = await t.http
      .post('/ceremonies')
      .set(await t.auth('admin'))
      .send({ ...EDITION, year: 2040, title: 'Draft 2040' })
      .expect(201);
    const id = (draft.body as { id: string }).id;
    const staff = await t.http.get('/ceremonies').set('Cookie', cookie).expect(200);
    expect((staff.body as { items: Array<{ id: string }> }).items.map((item) => item.id)).toContain(id);
    await t.http.get(`/ceremonies/${id}`).set('Cookie', cookie).expect(200);
    const anonymous = await t.http.get('/ceremonies').expect(200);
    expect((anonymous.body as { items: Array<{ id: string }> }).items.map((item) => item.id)).not.toContain(id);
    await t.http.get(`/ceremonies/${id}`).expect(404);
  });

  it('should end the session on sign-out: the cookie is cleared and the old cookie gets 401', async () => {
    const organizer = await createOrganizer('leaving@test.example');
    const cookie = await signIn(organizer.email, organizer.password);
    const response = await t.http
      .post('/auth/logout')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'console')
      .expect(204);
    expect(setCookie(response.headers)).toMatch(/console_session=;|Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    await t.http.get('/auth/me').set('Cookie', cookie).expect(401);
  });

  it('should end the session on a password change: the old cookie gets 401', async () => {
    const organizer = await createOrganizer('changing@test.example');
    const cookie = await signIn(organizer.email, organizer.password);
    await t.http
      .post('/auth/password')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'console')
      .send({ currentPassword: organizer.password, newPassword: 'a-fresh-long-passphrase-9' })
      .expect(204);
    await t.http.get('/auth/me').set('Cookie', cookie).expect(401);
    await signIn(organizer.email, 'a-fresh-long-passphrase-9');
  });

  it('should let an organizer session read the overview and refuse it the audit log with 403', async () => {
    const organizer = await createOrganizer('gate@test.example');
    const cookie = await signIn(organizer.email, organizer.password);
    await t.http.get('/audit-log').set('Cookie', cookie).expect(403);
    await t.http.get('/users').set('Cookie', cookie).expect(403);
  });
});
