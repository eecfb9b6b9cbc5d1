import { AuthStateCache } from '../src/users/auth-state-cache';
import { createTestApp, TestApp } from './support/app';
import { eventually } from './support/eventually';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * A staff request checks its token against this instance's copy of the user's auth state
 * (AuthStateCache) while the users table's notifications are listened to, and reads the user
 * otherwise. These tests turn the table's trigger off to see which of the two answered: with the
 * trigger off a change in SQL reaches no instance, so only a read can see it.
 */
describe('Auth state cache', () => {
  let t: TestApp;
  /** The same database, with entries that live one second. */
  let short: TestApp;
  let staffCount = 0;

  const cache = () => t.app.get(AuthStateCache);

  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_CACHE_MAX_AGE_MS: '60000' } });
    short = await createTestApp({ database: t.db, smtp: t.smtp, env: { AUTH_CACHE_MAX_AGE_MS: '1000' } });
  });
  afterAll(async () => {
    await t.db.query('ALTER TABLE users ENABLE TRIGGER users_notify');
    await short.close();
    await t.close();
  });
  afterEach(() => t.db.query('ALTER TABLE users ENABLE TRIGGER users_notify'));

  /** A new organizer signed in, their token seen to work on both instances (both now hold the state). */
  async function signedIn(): Promise<{ id: string; token: string }> {
    staffCount += 1;
    const email = `cache-${staffCount}@test.example`;
    const created = await t.http
      .post('/users')
      .set(await t.auth('admin'))
      .send({ email, password: 'cache-password-42', role: 'organizer', name: `Staff ${staffCount}` })
      .expect(201);
    const login = await t.http.post('/auth/login').send({ email, password: 'cache-password-42' }).expect(200);
    const token = login.body.accessToken as string;
    for (const app of [t, short]) await app.http.get('/auth/me').set(bearer(token)).expect(200);
    return { id: created.body.id as string, token };
  }

  /** Revokes every token of the user in SQL, with the trigger off: no instance hears of it. */
  async function revokeSilently(id: string): Promise<void> {
    await t.db.query('ALTER TABLE users DISABLE TRIGGER users_notify');
    await t.db.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [id]);
  }

  const status = async (app: TestApp, token: string) => (await app.http.get('/auth/me').set(bearer(token))).status;

  it('should answer from the copy while listening, forget the user on the notification, and let an entry live no longer than its maximum age', async () => {
    const staff = await signedIn();
    await revokeSilently(staff.id);
    // Not read: the copy still holds the earlier token version.
    expect(await status(t, staff.token)).toBe(200);
    // The maximum age alone ends it on the instance whose entries live a second.
    await eventually(
      () => status(short, staff.token),
      (code) => code === 401,
      10_000,
      'the entry to age out',
    );
    // Any change of the row notifies; the instance forgets the user and reads the revocation.
    await t.db.query('ALTER TABLE users ENABLE TRIGGER users_notify');
    await t.db.query('UPDATE users SET name = name WHERE id = $1', [staff.id]);
    await eventually(
      () => status(t, staff.token),
      (code) => code === 401,
      10_000,
      'the notification to arrive',
    );
  });

  it('should read the user while the listening connection is down, and start from an empty copy once it is back', async () => {
    const during = await signedIn();
    const after = await signedIn();
    expect(cache().active).toBe(true);
    await t.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'commemoration-api:listen' AND datname = current_database()`,
    );
    await eventually(
      () => Promise.resolve(cache().active),
      (active) => !active,
      10_000,
      'the instance to notice the lost connection',
    );
    await revokeSilently(during.id);
    await revokeSilently(after.id);
    // No notification, and the 60 s entry is younger than that: only a read refuses it.
    expect(await status(t, during.token)).toBe(401);
    await eventually(
      () => Promise.resolve(cache().active),
      (active) => active,
      15_000,
      'the instance to listen again',
    );
    // Not asked while the connection was down: its entry from before would still say 200.
    expect(await status(t, after.token)).toBe(401);
  });
});
