import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateToken } from '../src/common/tokens';
import { JobsQueue } from '../src/jobs/jobs.queue';
import { ADMIN, createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

/**
 * Enumeration through timing. For each self-service route and each public route taking an id, a
 * credential or id that belongs to an EXISTING record but must not open it (a draft edition, an
 * expired sign-up, an unsubscribed address, a near miss of a live link) must be answered like one
 * that matches nothing: same status, same body, and no measurable difference in time.
 *
 * Method: over real HTTP (one keep-alive connection), rounds of one request per class in a random
 * order; WARMUP rounds are discarded, then ROUNDS measured. The paired per-round differences
 * d = t(existing) − t(unknown) are judged twice, and both must pass:
 *  - consistency: the Wilcoxon signed-rank z of d stays below MAX_Z (4.5). Because the order within
 *    a round is random, with no difference every d is as likely positive as negative whatever the
 *    load, so |z| ≥ 4.5 by chance has a probability below 1 in 100,000 per comparison. Extra work on
 *    the existing-record path is paid in (nearly) every round and crosses it: reading a found but
 *    refused row (the code before the fix, 0.1 ms) gave z 5.7–10.3, one extra query (0.4–0.6 ms)
 *    or a 2 ms delay z 8–13;
 *  - size: |median d| < the larger of MAX_MEDIAN_DIFF_MS (0.15 ms) and MAX_MEDIAN_DIFF_SHARE (10 %)
 *    of the median time. On a quiet machine the limit is 0.15 ms (requests take 1–3 ms, and with no
 *    difference the median of d stayed within ±0.06 ms); with the whole suite beside it requests
 *    took 4–28 ms and the median of d wandered up to ±0.5 ms (under 3 %), so a fixed 0.15 ms would
 *    fail there by chance.
 * Under heavy load the noise grows and a small leak may then go unseen; the limits are set so that
 * load alone does not fail the test. Malformed tokens are refused before any query, so they are
 * faster: that tells nothing about any record and is only reported. TIMING_REPORT=1 prints the
 * figures.
 */

const WARMUP = 30;
const ROUNDS = 300;
const MAX_MEDIAN_DIFF_MS = 0.15;
const MAX_MEDIAN_DIFF_SHARE = 0.1;
const MAX_Z = 4.5;

interface Sent {
  status: number;
  body: string;
}
type Call = () => Promise<Sent>;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const shuffle = <T>(items: T[]): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomBytes(1)[0] % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};
/**
 * Fresh unknown tokens and ids are made before the timed loop (making one inside a timed request
 * would add its cost to one class only).
 */
const tokenPool: string[] = [];
const uuidPool: string[] = [];
const unknownToken = () => tokenPool.pop() ?? randomBytes(32).toString('base64url');
const unknownUuid = () => uuidPool.pop() ?? randomUUID();

/** Wilcoxon signed-rank statistic of paired differences, as a z-score (normal approximation, n ≥ 100). */
function signedRankZ(diffs: number[]): number {
  const nonZero = diffs.filter((d) => d !== 0).sort((a, b) => Math.abs(a) - Math.abs(b));
  const n = nonZero.length;
  let positiveRanks = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && Math.abs(nonZero[j + 1]) === Math.abs(nonZero[i])) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) if (nonZero[k] > 0) positiveRanks += rank;
    i = j + 1;
  }
  return (positiveRanks - (n * (n + 1)) / 4) / Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
}
/** A near miss of a real token: last character changed. */
const nearMiss = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

describe('Enumeration through timing', () => {
  let t: TestApp;
  let agent: Agent;
  let port: number;
  const report: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
    // eslint-disable-next-line no-process-env, no-console -- figures for docs/reliability.md on request
    if (process.env.TIMING_REPORT) console.log(report.join('\n'));
  });

  function send(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; json?: unknown } = {},
  ): Promise<Sent> {
    const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(options.headers ?? {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Measures the classes interleaved in random order; asserts the same reply for `existing` and
   * `unknown` and returns the figures.
   */
  async function measure(
    route: string,
    classes: { existing: Call; unknown: Call; malformed?: Call },
    expectedStatus: number,
    afterEach?: () => Promise<void>,
  ) {
    const names = Object.keys(classes) as Array<keyof typeof classes>;
    const times = new Map<string, number[]>(names.map((name) => [name, []]));
    const replies = new Map<string, Set<string>>(names.map((name) => [name, new Set()]));
    tokenPool.length = 0;
    uuidPool.length = 0;
    for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
      tokenPool.push(randomBytes(32).toString('base64url'));
      uuidPool.push(randomUUID());
    }
    for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
      for (const name of shuffle(names)) {
        const started = process.hrtime.bigint();
        const reply = await classes[name]!();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (round >= WARMUP) times.get(name)!.push(ms);
        replies.get(name)!.add(`${reply.status} ${reply.body}`);
        // Work a request left behind (e.g. a deferred decision) is done before the next one, untimed.
        await afterEach?.();
      }
    }
    // Every request of a class got one reply, and existing and unknown got the same one.
    expect([...replies.get('existing')!]).toEqual([...replies.get('unknown')!]);
    expect(replies.get('unknown')!.size).toBe(1);
    expect([...replies.get('unknown')!][0]).toMatch(new RegExp(`^${expectedStatus} `));

    const existing = times.get('existing')!;
    const unknown = times.get('unknown')!;
    const diffs = existing.map((ms, i) => ms - unknown[i]);
    const figures = {
      route,
      existing: median(existing),
      unknown: median(unknown),
      malformed: classes.malformed ? median(times.get('malformed')!) : undefined,
      pairedMedianDiff: median(diffs),
      slowerShare: diffs.filter((d) => d > 0).length / diffs.length,
      z: signedRankZ(diffs),
    };
    const f = (ms: number | undefined) => (ms === undefined ? '—' : ms.toFixed(3));
    report.push(
      `${route}: median existing ${f(figures.existing)} ms, unknown ${f(figures.unknown)} ms, malformed ${f(figures.malformed)} ms; ` +
        `paired median diff ${f(figures.pairedMedianDiff)} ms, existing slower in ${(figures.slowerShare * 100).toFixed(1)} % of ${ROUNDS} rounds, signed-rank z ${figures.z.toFixed(2)}`,
    );
    return figures;
  }

  function expectIndistinguishable(figures: {
    route: string;
    unknown: number;
    pairedMedianDiff: number;
    z: number;
  }): void {
    const sizeLimit = Math.max(MAX_MEDIAN_DIFF_MS, MAX_MEDIAN_DIFF_SHARE * figures.unknown);
    const verdict = {
      route: figures.route,
      medianDiffMs: figures.pairedMedianDiff.toFixed(3),
      sizeLimitMs: sizeLimit.toFixed(3),
      z: figures.z.toFixed(2),
    };
    expect({
      ...verdict,
      sizeBelowLimit: Math.abs(figures.pairedMedianDiff) < sizeLimit,
      consistencyBelowLimit: Math.abs(figures.z) < MAX_Z,
    }).toEqual({
      ...verdict,
      sizeBelowLimit: true,
      consistencyBelowLimit: true,
    });
  }

  /**
   * For a sign-up route whose requests are decided after the answer: after every timed request,
   * untimed, its decision, then one more new address (`another`), all decided, sent, and received
   * and parsed by the sink (in this process). So no request's own work falls into the next one,
   * and every timed request follows the same work, whichever class came before it.
   */
  function settleSignUps(another: () => Promise<Sent>, mailsSoFar: () => number): () => Promise<void> {
    return async () => {
      const processor = t.app.get(JobsQueue).runner;
      await processor.settled();
      await another();
      await processor.settled();
      await t.smtp.waitFor((mails) => mails.length >= mailsSoFar(), 5_000, `${mailsSoFar()} confirmation mails`);
    };
  }

  describe('self-service tokens', () => {
    let ceremonyId: string;

    beforeAll(async () => {
      ceremonyId = (await insertCeremony(t.db, { year: 2027 })).id;
    });

    it('should not tell a near miss of a live booking link from an unknown one', async () => {
      const slot = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(await t.auth('organizer'))
        .send({ startsAt: '2027-02-26T06:00:00.000Z', endsAt: '2027-02-26T06:30:00.000Z', capacity: 20 })
        .expect(201);
      const booked = await t.http
        .post(`/visit-slots/${slot.body.id as string}/bookings`)
        .send({ name: 'Visitor', email: 'visitor@example.org', partySize: 1 })
        .expect(201);
      const token = new URL(String(booked.body.manageUrl)).searchParams.get('token')!;
      const figures = await measure(
        'GET /bookings/manage/:token',
        {
          existing: () => send('GET', `/bookings/manage/${nearMiss(token)}`),
          unknown: () => send('GET', `/bookings/manage/${unknownToken()}`),
          malformed: () => send('GET', `/bookings/manage/${booked.body.id as string}`),
        },
        404,
      );
      expectIndistinguishable(figures);
    });

    describe('volunteers', () => {
      let expiredToken: string;
      let volunteerId: string;

      beforeAll(async () => {
        const { token, hash } = generateToken();
        expiredToken = token;
        [{ id: volunteerId }] = await t.db.query<{ id: string }>(
          `INSERT INTO volunteers (ceremony_id, status, name, email, token_hash, expires_at) VALUES ($1, 'pending', 'Late Volunteer', 'late@example.org', $2, now() - interval '1 hour') RETURNING id`,
          [ceremonyId, hash],
        );
      });

      it('should not tell the token of an expired sign-up from an unknown one on /volunteers/me', async () => {
        const header = (token: string) => ({ headers: { 'x-manage-token': token } });
        const figures = await measure(
          'GET /volunteers/me',
          {
            existing: () => send('GET', '/volunteers/me', header(expiredToken)),
            unknown: () => send('GET', '/volunteers/me', header(unknownToken())),
            malformed: () => send('GET', '/volunteers/me', header(volunteerId)),
          },
          404,
        );
        expectIndistinguishable(figures);
      });

      it('should not tell the token of an expired sign-up from an unknown one on /volunteers/confirm', async () => {
        const figures = await measure(
          'POST /volunteers/confirm',
          {
            existing: () => send('POST', '/volunteers/confirm', { json: { token: expiredToken } }),
            unknown: () => send('POST', '/volunteers/confirm', { json: { token: unknownToken() } }),
            malformed: () => send('POST', '/volunteers/confirm', { json: { token: volunteerId } }),
          },
          404,
        );
        expectIndistinguishable(figures);
      });
    });

    it("should not tell a confirmed volunteer's address from a new one on POST /volunteers", async () => {
      const role = await t.http
        .post(`/ceremonies/${ceremonyId}/volunteer-roles`)
        .set(await t.auth('organizer'))
        .send({ name: 'Stewards', capacity: 5000, shiftStart: '09:00', shiftEnd: '12:00' })
        .expect(201);
      const roleId = role.body.id as string;
      await t.db.query(
        `INSERT INTO volunteers (ceremony_id, status, name, email, confirmed_at) VALUES ($1, 'confirmed', 'Steady Volunteer', 'steady@example.org', now())`,
        [ceremonyId],
      );
      t.smtp.clear();
      let fresh = 0;
      const body = (email: string) => ({
        json: { ceremonyId, name: 'Volunteer', email, roleIds: [roleId], consentReminders: false },
      });
      const figures = await measure(
        'POST /volunteers (known address)',
        {
          existing: () => send('POST', '/volunteers', body('steady@example.org')),
          unknown: () => send('POST', '/volunteers', body(`new-volunteer-${(fresh += 1)}@example.org`)),
        },
        202,
        settleSignUps(
          () => send('POST', '/volunteers', body(`new-volunteer-${(fresh += 1)}@example.org`)),
          () => fresh,
        ),
      );
      expectIndistinguishable(figures);
      // The requests were decided: every new address is a pending volunteer, the known one unchanged.
      const rows = await t.db.query<{ status: string; count: number }>(
        `SELECT status, count(*)::int AS count FROM volunteers WHERE email LIKE 'new-volunteer-%' OR email = 'steady@example.org' GROUP BY status ORDER BY status`,
      );
      expect(rows).toEqual([
        { status: 'confirmed', count: 1 },
        { status: 'pending', count: fresh },
      ]);
      // 330 rounds, each settled down to the mails received: about a minute on a loaded 2-core machine.
    }, 180_000);

    describe('subscribers and unsubscribe links', () => {
      let unsubscribedToken: string;
      let subscriberId: string;

      beforeAll(async () => {
        const { token, hash } = generateToken();
        unsubscribedToken = token;
        [{ id: subscriberId }] = await t.db.query<{ id: string }>(
          `INSERT INTO subscribers (email, locale, status, confirm_token_hash, unsubscribed_at) VALUES ('gone@example.org', 'en', 'unsubscribed', $1, now()) RETURNING id`,
          [hash],
        );
      });

      it('should not tell the token of an unsubscribed address from an unknown one on the confirm page', async () => {
        const figures = await measure(
          'GET /subscriptions/confirm',
          {
            existing: () => send('GET', `/subscriptions/confirm?token=${unsubscribedToken}`),
            unknown: () => send('GET', `/subscriptions/confirm?token=${unknownToken()}`),
            malformed: () => send('GET', `/subscriptions/confirm?token=${subscriberId}`),
          },
          404,
        );
        expectIndistinguishable(figures);
      });

      it('should not tell the token of an unsubscribed address from an unknown one on POST /subscriptions/confirm', async () => {
        const figures = await measure(
          'POST /subscriptions/confirm',
          {
            existing: () => send('POST', '/subscriptions/confirm', { json: { token: unsubscribedToken } }),
            unknown: () => send('POST', '/subscriptions/confirm', { json: { token: unknownToken() } }),
            malformed: () => send('POST', '/subscriptions/confirm', { json: { token: subscriberId } }),
          },
          404,
        );
        expectIndistinguishable(figures);
      });

      it('should not tell a confirmed address from a new one on POST /subscriptions', async () => {
        await t.db.query(
          `INSERT INTO subscribers (email, locale, status, confirmed_at) VALUES ('known@example.org', 'en', 'confirmed', now())`,
        );
        t.smtp.clear();
        let fresh = 0;
        const figures = await measure(
          'POST /subscriptions',
          {
            existing: () => send('POST', '/subscriptions', { json: { email: 'known@example.org' } }),
            unknown: () => send('POST', '/subscriptions', { json: { email: `new-${(fresh += 1)}@example.org` } }),
          },
          202,
          settleSignUps(
            () => send('POST', '/subscriptions', { json: { email: `new-${(fresh += 1)}@example.org` } }),
            () => fresh,
          ),
        );
        expectIndistinguishable(figures);
        // The requests were decided: every new address is a pending subscriber, the known one unchanged.
        const rows = await t.db.query<{ status: string; count: number }>(
          `SELECT status, count(*)::int AS count FROM subscribers WHERE email LIKE 'new-%' OR email = 'known@example.org' GROUP BY status ORDER BY status`,
        );
        expect(rows).toEqual([
          { status: 'confirmed', count: 1 },
          { status: 'pending', count: fresh },
        ]);
        // As for POST /volunteers: every round is settled down to the mails received.
      }, 180_000);

      it('should not tell a near miss of a live unsubscribe link from an unknown one', async () => {
        const { token, hash } = generateToken();
        const [{ id: mailingId }] = await t.db.query<{ id: string }>(
          `INSERT INTO mailings (name, status, audience, content) VALUES ('Timing', 'sent', '{}', '{}') RETURNING id`,
        );
        const [{ id: deliveryId }] = await t.db.query<{ id: string }>(
          `INSERT INTO deliveries (mailing_id, email, source_type, status, next_attempt_at, unsubscribe_token_hash) VALUES ($1, 'reader@example.org', 'subscribers', 'sent', now(), $2) RETURNING id`,
          [mailingId, hash],
        );
        expect((await send('GET', `/unsubscribe/${token}`)).status).toBe(200);
        const figures = await measure(
          'GET /unsubscribe/:token',
          {
            existing: () => send('GET', `/unsubscribe/${nearMiss(token)}`),
            unknown: () => send('GET', `/unsubscribe/${unknownToken()}`),
            malformed: () => send('GET', `/unsubscribe/${deliveryId}`),
          },
          404,
        );
        expectIndistinguishable(figures);
      });
    });
  });

  describe('staff accounts', () => {
    it('should not tell a staff address from an unknown one on POST /auth/password-reset', async () => {
      t.smtp.clear();
      let known = 0;
      let fresh = 0;
      const processor = t.app.get(JobsQueue).runner;
      const figures = await measure(
        'POST /auth/password-reset',
        {
          existing: () => {
            known += 1;
            return send('POST', '/auth/password-reset', { json: { email: ADMIN.email } });
          },
          unknown: () =>
            send('POST', '/auth/password-reset', { json: { email: `nobody-${(fresh += 1)}@example.org` } }),
        },
        202,
        // Untimed: the deferred decision and its mail, then one more request for the staff address and
        // its mail, so every timed request follows the same work whichever class came before it.
        async () => {
          await processor.settled();
          known += 1;
          await send('POST', '/auth/password-reset', { json: { email: ADMIN.email } });
          await processor.settled();
          await t.smtp.waitFor((mails) => mails.length >= known, 5_000, `${known} reset mails`);
        },
      );
      expectIndistinguishable(figures);
      // The requests were decided: one link for each request of the staff address, nothing for the others.
      expect(t.smtp.received).toHaveLength(known);
      expect(t.smtp.received.every((mail) => mail.envelopeTo.includes(ADMIN.email))).toBe(true);
      // 660 mails are decided and sent between the timed requests: 45 s at load average 10.
    }, 180_000);
  });

  describe('ids of draft editions on public routes', () => {
    let draftId: string;
    let draftSlotId: string;

    beforeAll(async () => {
      draftId = (await insertCeremony(t.db, { year: 2031, status: 'draft' })).id;
      [{ id: draftSlotId }] = await t.db.query<{ id: string }>(
        `INSERT INTO visit_slots (ceremony_id, starts_at, ends_at, capacity) VALUES ($1, '2031-02-26T06:00:00Z', '2031-02-26T06:30:00Z', 20) RETURNING id`,
        [draftId],
      );
    });

    const reads = [
      '/ceremonies/:id',
      '/ceremonies/:id/visit-slots',
      '/ceremonies/:id/program',
      '/ceremonies/:id/volunteer-roles',
      '/ceremonies/:id/calendar.ics',
    ];
    it.each(reads)('should not tell a draft edition from a missing one on GET %s', async (route) => {
      const figures = await measure(
        `GET ${route}`,
        {
          existing: () => send('GET', route.replace(':id', draftId)),
          unknown: () => send('GET', route.replace(':id', unknownUuid())),
        },
        404,
      );
      expectIndistinguishable(figures);
    });

    it('should not tell a slot of a draft edition from a missing slot when booking', async () => {
      const body = { name: 'Visitor', email: 'visitor@example.org', partySize: 1 };
      const figures = await measure(
        'POST /visit-slots/:slotId/bookings',
        {
          existing: () => send('POST', `/visit-slots/${draftSlotId}/bookings`, { json: body }),
          unknown: () => send('POST', `/visit-slots/${unknownUuid()}/bookings`, { json: body }),
        },
        404,
      );
      expectIndistinguishable(figures);
      const [{ count }] = await t.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM bookings WHERE slot_id = $1`,
        [draftSlotId],
      );
      expect(count).toBe(0);
    });

    it('should not tell a draft edition from a missing one on volunteer sign-up', async () => {
      const body = (ceremonyId: string) => ({
        ceremonyId,
        name: 'Volunteer',
        email: 'v@example.org',
        roleIds: [randomUUID()],
        consentReminders: false,
      });
      const figures = await measure(
        'POST /volunteers',
        {
          existing: () => send('POST', '/volunteers', { json: body(draftId) }),
          unknown: () => send('POST', '/volunteers', { json: body(unknownUuid()) }),
        },
        404,
      );
      expectIndistinguishable(figures);
    });
  });
});
