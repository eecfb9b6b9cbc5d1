import type { TestApp } from './app';

export interface BookingCreated {
  id: string;
  status: 'confirmed' | 'waitlisted';
  manageUrl: string;
}

/**
 * Slots and bookings for tests of one edition: each new slot starts an hour after the last, on the
 * edition's day (26 February 2027). The context is read at each call, so the helpers can be made
 * before `beforeAll` has started the app.
 */
export function visitHelpers(context: () => { t: TestApp; ceremonyId: string; organizer: { Authorization: string } }) {
  let hour = 0;
  return {
    async createSlot(capacity: number): Promise<{ id: string }> {
      const { t, ceremonyId, organizer } = context();
      hour += 1;
      const start = new Date(Date.UTC(2027, 1, 26, 0, 0) + hour * 3_600_000);
      const response = await t.http
        .post(`/ceremonies/${ceremonyId}/visit-slots`)
        .set(organizer)
        .send({
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(),
          capacity,
        })
        .expect(201);
      return response.body as { id: string };
    },
    async book(slotId: string, body: Record<string, unknown>): Promise<BookingCreated> {
      const response = await context()
        .t.http.post(`/visit-slots/${slotId}/bookings`)
        .send({ name: 'Visitor', partySize: 1, ...body })
        .expect(201);
      return response.body as BookingCreated;
    },
    tokenOf: (booking: BookingCreated) => new URL(booking.manageUrl).searchParams.get('token')!,
  };
}
