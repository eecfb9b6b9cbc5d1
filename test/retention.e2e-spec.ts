import { FixedClock } from '../src/common/clock';
import { RetentionService } from '../src/retention/retention.service';
import { createTestApp, TestApp } from './support/app';
import { CeremonyFixture, insertCeremony } from './support/factories';

// 91 days after 2026-12-30 and 89 days after 2027-01-01.
const NOW = new Date('2027-03-31T12:00:00Z');

interface Counts {
  booked: number;
  checkedIn: number;
  filled: number;
  sent: number;
  failed: number;
}

describe('Retention', () => {
  let t: TestApp;
  let second: TestApp;
  let old: CeremonyFixture;
  let recent: CeremonyFixture;
  let admin: { Authorization: string };

  /** An edition with a checked-in booking, a waitlisted one, a volunteer in a role and a sent mailing. */
  async function populate(ceremonyId: string, tag: string): Promise<void> {
    const [slot] = await t.db.query<{ id: string }>(
      `INSERT INTO visit_slots (ceremony_id, starts_at, ends_at, capacity, booked) SELECT id, date::timestamp AT TIME ZONE time_zone, date::timestamp AT TIME ZONE time_zone + interval '30 minutes', 10, 3 FROM ceremonies WHERE id = $1 RETURNING id`,
      [ceremonyId],
    );
    await t.db.query(
      `INSERT INTO bookings (slot_id, name, email, phone, group_name, party_size, status, manage_token_hash, check_in_code_hash, checked_in_at, confirmed_at)
       VALUES ($1, 'Leyla ${tag}', 'leyla-${tag}@example.org', '+994 12 555 55 55', 'School ${tag}', 3, 'confirmed', repeat('a', 60) || '${tag}a', repeat('c', 60) || '${tag}a', now(), now()),
              ($1, 'Rashad ${tag}', 'rashad-${tag}@example.org', NULL, NULL, 2, 'waitlisted', repeat('b', 60) || '${tag}b', repeat('d', 60) || '${tag}b', NULL, NULL)`,
      [slot.id],
    );
    const [role] = await t.db.query<{ id: string }>(
      `INSERT INTO volunteer_roles (ceremony_id, name, capacity, filled, shift_start, shift_end) VALUES ($1, 'Guides', 5, 1, '09:00', '13:00') RETURNING id`,
      [ceremonyId],
    );
    expect(role.id).toBeDefined();
    await t.db.query(
      `INSERT INTO volunteers (ceremony_id, status, name, email, phone, languages, note, consent_reminders, confirmed_at) VALUES ($1, 'confirmed', 'Aygun ${tag}', 'aygun-${tag}@example.org', '+994 50 000 00 00', '{az,en}', 'Speaks Russian too', true, now())`,
      [ceremonyId],
    );
    const [mailing] = await t.db.query<{ id: string }>(
      `INSERT INTO mailings (name, status, audience, ceremony_id, content) VALUES ('Thanks ${tag}', 'sent', '{"kind":"visitors"}', $1, '{}') RETURNING id`,
      [ceremonyId],
    );
    await t.db.query(
      `INSERT INTO deliveries (mailing_id, email, name, source_type, status, next_attempt_at, manage_url, sent_at) VALUES
         ($1, 'leyla-${tag}@example.org', 'Leyla', 'booking', 'sent', now(), 'https://commemoration.test/p/visit/manage?token=x', now()),
         ($1, 'rashad-${tag}@example.org', 'Rashad', 'booking', 'failed', now(), NULL, NULL)`,
      [mailing.id],
    );
  }

  async function counts(ceremonyId: string): Promise<Counts> {
    const [row] = await t.db.query<Counts>(
      `SELECT (SELECT SUM(booked)::int FROM visit_slots WHERE ceremony_id = $1) AS booked,
              (SELECT COUNT(*)::int FROM bookings b JOIN visit_slots s ON s.id = b.slot_id WHERE s.ceremony_id = $1 AND b.checked_in_at IS NOT NULL) AS "checkedIn",
              (SELECT SUM(filled)::int FROM volunteer_roles WHERE ceremony_id = $1) AS filled,
              (SELECT COUNT(*)::int FROM deliveries d JOIN mailings m ON m.id = d.mailing_id WHERE m.ceremony_id = $1 AND d.status = 'sent') AS sent,
              (SELECT COUNT(*)::int FROM deliveries d JOIN mailings m ON m.id = d.mailing_id WHERE m.ceremony_id = $1 AND d.status = 'failed') AS failed`,
      [ceremonyId],
    );
    return row;
  }

  /** Every personal value of the edition still stored, as one text to search. */
  async function personalData(ceremonyId: string): Promise<string> {
    const rows = await t.db.query<{ value: string }>(
      `SELECT concat_ws('|', b.name, b.email, b.phone, b.group_name, b.check_in_code_hash) AS value FROM bookings b JOIN visit_slots s ON s.id = b.slot_id WHERE s.ceremony_id = $1
       UNION ALL SELECT concat_ws('|', v.name, v.email, v.phone, v.note, array_to_string(v.languages, ',')) FROM volunteers v WHERE v.ceremony_id = $1
       UNION ALL SELECT concat_ws('|', d.email, d.name, d.manage_url) FROM deliveries d JOIN mailings m ON m.id = d.mailing_id WHERE m.ceremony_id = $1`,
      [ceremonyId],
    );
    return rows.map((row) => row.value).join('\n');
  }

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(NOW) });
    second = await createTestApp({ clock: new FixedClock(NOW), database: t.db, smtp: t.smtp });
    old = await insertCeremony(t.db, { year: 2026, date: '2026-12-30' });
    recent = await insertCeremony(t.db, { year: 2027, date: '2027-01-01' });
    await populate(old.id, 'old');
    await populate(recent.id, 'new');
    admin = await t.auth('admin');
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('should show in the overview when the erasure of an edition is due before it runs', async () => {
    const response = await t.http.get('/admin/overview').query({ ceremonyId: old.id }).set(admin).expect(200);
    expect(response.body.retention).toEqual({
      retentionDays: 90,
      dueAt: '2027-03-29T20:00:00.000Z',
      erasedAt: null,
      erased: null,
    });
  });

  it('should erase the edition 91 days past its date once, on two instances at the same time, keep the counts and leave the one 89 days past alone', async () => {
    const before = { old: await counts(old.id), recent: await counts(recent.id) };
    const recentData = await personalData(recent.id);
    expect(await personalData(old.id)).toContain('leyla-old@example.org');

    // Two instances and a repeat: the edition is claimed once.
    const results = await Promise.all([
      t.app.get(RetentionService).eraseDue(NOW),
      second.app.get(RetentionService).eraseDue(NOW),
    ]);
    expect(results.sort()).toEqual([0, 1]);
    expect(await t.app.get(RetentionService).eraseDue(NOW)).toBe(0);

    const erased = await personalData(old.id);
    for (const value of [
      'Leyla',
      'Rashad',
      'Aygun',
      'example.org',
      '+994',
      'School',
      'Speaks',
      'manage?token',
      'ccccc',
    ])
      expect(erased).not.toContain(value);
    expect(await personalData(recent.id)).toBe(recentData);
    expect(await counts(old.id)).toEqual(before.old);
    expect(await counts(recent.id)).toEqual(before.recent);

    const audit = await t.db.query<{ after: Record<string, number> }>(
      `SELECT after FROM audit_log WHERE action = 'retention.erase' AND entity_id = $1`,
      [old.id],
    );
    expect(audit.map((entry) => entry.after)).toEqual([
      { retentionDays: 90, bookings: 2, volunteers: 1, deliveries: 2, outbox: 0 },
    ]);
    expect(
      await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'retention.erase' AND entity_id = $1`, [recent.id]),
    ).toHaveLength(0);

    const overview = await t.http.get('/admin/overview').query({ ceremonyId: old.id }).set(admin).expect(200);
    expect(overview.body.retention).toMatchObject({
      erasedAt: NOW.toISOString(),
      erased: { bookings: 2, volunteers: 1, deliveries: 2, outbox: 0 },
    });
  });

  it('should keep personal data when RETENTION_DAYS is 0', async () => {
    const keeping = await createTestApp({
      clock: new FixedClock(NOW),
      database: t.db,
      smtp: t.smtp,
      env: { RETENTION_DAYS: '0' },
    });
    try {
      const recentData = await personalData(recent.id);
      await keeping.app.get(RetentionService).eraseDue(new Date('2030-01-01T00:00:00Z'));
      expect(await personalData(recent.id)).toBe(recentData);
      const overview = await keeping.http
        .get('/admin/overview')
        .query({ ceremonyId: recent.id })
        .set(admin)
        .expect(200);
      expect(overview.body.retention).toMatchObject({ retentionDays: 0, dueAt: null, erasedAt: null });
    } finally {
      await keeping.close();
    }
  });
});
