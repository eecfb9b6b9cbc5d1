import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * Object-level access on the self-service links: a token for one booking, volunteer or subscriber
 * reads and changes that record only, and every kind of wrong token or id (well-formed but unknown,
 * malformed, another record's id, a near miss of a real token) gets the very same reply, so
 * records cannot be told apart or enumerated from the answers.
 */

const VOLUNTEER_LINK = /https:\/\/commemoration\.test\/p\/volunteer\/confirm\?token=([A-Za-z0-9_-]{43})/;
const SUBSCRIPTION_LINK = /https:\/\/commemoration\.test\/subscriptions\/confirm\?token=([A-Za-z0-9_-]+)/;

/** A near miss of a real token: last character changed. */
const nearMiss = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

interface Reply {
  status: number;
  body: unknown;
}

describe('Object-level access on self-service links', () => {
  let t: TestApp;
  let ceremonyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
  });
  afterAll(() => t.close());

  async function linkTokenIn(address: string, pattern: RegExp): Promise<string> {
    await t.smtp.waitFor(
      (mails) => mails.some((mail) => mail.envelopeTo.includes(address) && pattern.test(mail.parsed.text ?? '')),
      15_000,
      `link to ${address}`,
    );
    const mail = t.smtp.to(address).find((candidate) => pattern.test(candidate.parsed.text ?? ''))!;
    return pattern.exec(mail.parsed.text ?? '')![1];
  }

  /** Every wrong credential must give one and the same reply. */
  function expectOneReply(replies: Reply[], status = 404): void {
    expect(replies[0].status).toBe(status);
    for (const reply of replies) expect(reply).toEqual(replies[0]);
  }
  const reply = (response: { status: number; body: unknown }): Reply => ({
    status: response.status,
    body: response.body,
  });

  describe('bookings', () => {
    let tokenA: string;
    let tokenB: string;
    let idA: string;
    let idB: string;

    beforeAll(async () => {
      const slot = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(await t.auth('organizer'))
        .send({ startsAt: '2027-02-26T06:00:00.000Z', endsAt: '2027-02-26T06:30:00.000Z', capacity: 20 })
        .expect(201);
      const book = async (name: string, email: string) => {
        const response = await t.http
          .post(`/visit-slots/${slot.body.id as string}/bookings`)
          .send({ name, email, partySize: 2 })
          .expect(201);
        return {
          id: response.body.id as string,
          token: new URL(String(response.body.manageUrl)).searchParams.get('token')!,
        };
      };
      ({ id: idA, token: tokenA } = await book('Visitor A', 'a@example.org'));
      ({ id: idB, token: tokenB } = await book('Visitor B', 'b@example.org'));
    });

    it('should show the holder of a manage link their own booking only', async () => {
      const own = await t.http.get(`/bookings/manage/${tokenA}`).expect(200);
      expect(own.body).toMatchObject({ id: idA, name: 'Visitor A', status: 'confirmed' });
      expect(JSON.stringify(own.body)).not.toContain(idB);
      expect(JSON.stringify(own.body)).not.toContain('Visitor B');
      expect((await t.http.get(`/bookings/manage/${tokenB}`).expect(200)).body).toMatchObject({
        id: idB,
        name: 'Visitor B',
      });
    });

    it('should give one reply to every wrong link, whatever its shape', async () => {
      const wrong = ['A'.repeat(43), 'short', idA, idB, nearMiss(tokenA), `${tokenA}x`, "' OR '1'='1", '%00'];
      for (const method of ['get', 'delete'] as const) {
        const replies: Reply[] = [];
        for (const token of wrong)
          replies.push(reply(await t.http[method](`/bookings/manage/${encodeURIComponent(token)}`)));
        expectOneReply(replies);
      }
    });

    it('should cancel only the booking of the link used', async () => {
      await t.http.delete(`/bookings/manage/${tokenA}`).expect(200);
      const rows = await t.db.query<{ id: string; status: string }>(
        `SELECT id, status FROM bookings WHERE id IN ($1, $2) ORDER BY name`,
        [idA, idB],
      );
      expect(rows).toEqual([
        { id: idA, status: 'cancelled' },
        { id: idB, status: 'confirmed' },
      ]);
    });
  });

  describe('volunteers', () => {
    let tokenA: string;
    let tokenB: string;
    let idB: string;

    beforeAll(async () => {
      const role = await t.http
        .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
        .set(await t.auth('organizer'))
        .send({ name: 'Carnations', capacity: 5, shiftStart: '09:00', shiftEnd: '12:00' })
        .expect(201);
      const join = async (name: string, email: string) => {
        await t.http
          .post('/volunteers')
          .send({ ceremonyId, name, email, roleIds: [role.body.id], consentReminders: false, locale: 'en' })
          .expect(202);
        const token = await linkTokenIn(email, VOLUNTEER_LINK);
        await t.http.post('/volunteers/confirm').send({ token }).expect(200);
        return token;
      };
      tokenA = await join('Volunteer A', 'va@example.org');
      tokenB = await join('Volunteer B', 'vb@example.org');
      [{ id: idB }] = await t.db.query<{ id: string }>(`SELECT id FROM volunteers WHERE name = 'Volunteer B'`);
    });

    it('should read and export only the volunteer of the token', async () => {
      const own = await t.http.get('/volunteers/me').set('X-Manage-Token', tokenA).expect(200);
      expect(own.body).toMatchObject({ name: 'Volunteer A', email: 'va@example.org' });
      const exported = await t.http.get('/volunteers/me/export').set('X-Manage-Token', tokenA).expect(200);
      expect(JSON.stringify(exported.body)).toContain('va@example.org');
      for (const body of [own.body, exported.body]) {
        expect(JSON.stringify(body)).not.toContain('vb@example.org');
        expect(JSON.stringify(body)).not.toContain(idB);
      }
    });

    it('should change only the volunteer of the token', async () => {
      await t.http.patch('/volunteers/me').set('X-Manage-Token', tokenA).send({ name: 'Volunteer A2' }).expect(200);
      const rows = await t.db.query<{ name: string }>(
        `SELECT name FROM volunteers WHERE email IN ('va@example.org', 'vb@example.org') ORDER BY email`,
      );
      expect(rows.map((row) => row.name)).toEqual(['Volunteer A2', 'Volunteer B']);
    });

    it('should give one reply to every wrong token on every self-service route, whatever its shape', async () => {
      const wrong = ['A'.repeat(43), 'short', idB, nearMiss(tokenA), `${tokenA}x`, "' OR '1'='1", ' '];
      const calls = {
        get: (token: string) => t.http.get('/volunteers/me').set('X-Manage-Token', token),
        export: (token: string) => t.http.get('/volunteers/me/export').set('X-Manage-Token', token),
        patch: (token: string) =>
          t.http.patch('/volunteers/me').set('X-Manage-Token', token).send({ name: 'Intruder' }),
        delete: (token: string) => t.http.delete('/volunteers/me').set('X-Manage-Token', token),
        confirm: (token: string) => t.http.post('/volunteers/confirm').send({ token }),
      };
      for (const call of Object.values(calls)) {
        const replies: Reply[] = [];
        for (const token of wrong) replies.push(reply(await call(token)));
        expectOneReply(replies);
      }
      // No header at all is the same miss.
      expect(reply(await t.http.get('/volunteers/me'))).toEqual(reply(await calls.get('A'.repeat(43))));
      const [b] = await t.db.query<{ name: string }>(`SELECT name FROM volunteers WHERE id = $1`, [idB]);
      expect(b.name).toBe('Volunteer B');
    });

    it('should withdraw only the volunteer of the token', async () => {
      await t.http.delete('/volunteers/me').set('X-Manage-Token', tokenA).expect(204);
      await t.http.get('/volunteers/me').set('X-Manage-Token', tokenA).expect(404);
      await t.http.get('/volunteers/me').set('X-Manage-Token', tokenB).expect(200);
    });
  });

  describe('subscribers', () => {
    it('should confirm only the subscriber of the token and answer every wrong token alike', async () => {
      await t.http.post('/subscriptions').send({ email: 'sa@example.org' }).expect(202);
      await t.http.post('/subscriptions').send({ email: 'sb@example.org' }).expect(202);
      const tokenA = await linkTokenIn('sa@example.org', SUBSCRIPTION_LINK);
      const [{ id: idB }] = await t.db.query<{ id: string }>(
        `SELECT id FROM subscribers WHERE email = 'sb@example.org'`,
      );

      const wrong = ['A'.repeat(43), 'short', idB, nearMiss(tokenA), `${tokenA}x`, "' OR '1'='1"];
      const posted: Reply[] = [];
      const pages: Reply[] = [];
      for (const token of wrong) {
        posted.push(reply(await t.http.post('/subscriptions/confirm').send({ token })));
        pages.push(reply(await t.http.get('/subscriptions/confirm').query({ token })));
      }
      expectOneReply(posted);
      expectOneReply(pages);

      await t.http.post('/subscriptions/confirm').send({ token: tokenA }).expect(200);
      const rows = await t.db.query<{ email: string; status: string }>(
        `SELECT email, status FROM subscribers ORDER BY email`,
      );
      expect(rows).toEqual([
        { email: 'sa@example.org', status: 'confirmed' },
        { email: 'sb@example.org', status: 'pending' },
      ]);
    });

    it('should answer every wrong unsubscribe link alike', async () => {
      const [{ id }] = await t.db.query<{ id: string }>(`SELECT id FROM subscribers LIMIT 1`);
      for (const method of ['get', 'post'] as const) {
        const replies: Reply[] = [];
        for (const token of ['A'.repeat(43), 'short', id, "' OR '1'='1"])
          replies.push(reply(await t.http[method](`/unsubscribe/${encodeURIComponent(token)}`)));
        expectOneReply(replies);
      }
    });
  });
});
