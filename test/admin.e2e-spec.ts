import { FixedClock } from '../src/common/clock';
import { createTestApp, TestApp } from './support/app';
import { insertCeremony } from './support/factories';

describe('Admin overview', () => {
  const clock = new FixedClock(new Date('2027-02-01T00:00:00Z'));
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(() => t.close());

  it('should show the current edition with seats per slot, volunteers per role, subscribers and reminder runs', async () => {
    const admin = await t.auth('admin');
    await t.http.get('/admin/overview').set(admin).expect(404);
    const ceremony = await insertCeremony(t.db, { year: 2027 });
    const slot = await t.http
      .post(`/ceremonies/${ceremony.id}/visit-slots`)
      .set(admin)
      .send({ startsAt: '2027-02-26T07:00:00Z', endsAt: '2027-02-26T08:00:00Z', capacity: 5 })
      .expect(201);
    await t.http
      .post(`/visit-slots/${slot.body.id}/bookings`)
      .send({ name: 'A', email: 'a@example.org', partySize: 3 })
      .expect(201);
    const role = await t.http
      .post(`/ceremonies/${ceremony.id}/volunteer-roles`)
      .set(admin)
      .send({ name: 'Greeters', capacity: 4, shiftStart: '09:00', shiftEnd: '12:00' })
      .expect(201);
    await t.db.query(
      "INSERT INTO subscribers (email, locale, status, confirmed_at) VALUES ('s1@example.org', 'en', 'confirmed', now()), ('s2@example.org', 'en', 'pending', NULL)",
    );

    const overview = await t.http.get('/admin/overview').set(admin).expect(200);
    expect(overview.body.edition).toMatchObject({ id: ceremony.id, year: 2027 });
    // 1 February, 04:00 in Baku: 25 days before 26 February in the edition's zone.
    expect(overview.body.daysUntil).toBe(25);
    expect(overview.body.visits).toMatchObject({ capacity: 5, booked: 3, checkedIn: 0, waitlisted: 0 });
    expect(overview.body.visits.slots[0]).toMatchObject({ capacity: 5, booked: 3, remaining: 2 });
    expect(overview.body.volunteerRoles).toEqual([
      expect.objectContaining({ id: role.body.id, capacity: 4, filled: 0, remaining: 4 }),
    ]);
    expect(overview.body.subscribers).toEqual({ confirmed: 1, pending: 1, unsubscribed: 0 });
    expect(overview.body.reminderRuns.map((run: { dueAt: string; status: string }) => [run.dueAt, run.status])).toEqual(
      [
        ['2027-01-27T06:00:00.000Z', 'due'],
        ['2027-02-19T06:00:00.000Z', 'scheduled'],
        ['2027-02-25T06:00:00.000Z', 'scheduled'],
      ],
    );
    // Organizers run the day too: the overview is theirs as well.
    await t.http
      .get('/admin/overview')
      .set(await t.auth('organizer'))
      .expect(200);
  });
});
