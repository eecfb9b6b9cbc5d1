import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';

export type SlotRow = components['schemas']['VisitSlotSummaryRow'];
export type SlotPlan = components['schemas']['VisitSlotPlanView'];
export type Booking = components['schemas']['BookingView'];
export type BookingStatus = Booking['status'];
export type SeriesPlan = { from: string; to: string; everyMinutes: number; durationMinutes: number; capacity: number };
export interface BookingFilters {
  q: string;
  slotId: string;
  status: '' | BookingStatus;
  offset: number;
}

export const BOOKINGS_PER_PAGE = 25;

/** A refused write, with the status and body the form reads its per-field messages from. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`The API answered ${status}`);
  }
}

function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiRefusal(result.response.status, result.error);
}

/** Everything that shows slot figures reads them again after a change. */
function useRefreshVisits() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['visit-slots'] }),
      queryClient.invalidateQueries({ queryKey: ['bookings'] }),
      queryClient.invalidateQueries({ queryKey: ['overview'] }),
    ]);
}

/** The edition's slots with booked, remaining, waitlisted and checked-in people (drafts included). */
export function useSlots(ceremonyId: string) {
  return useQuery({
    queryKey: ['visit-slots', ceremonyId],
    queryFn: async () =>
      answer(await api.GET('/ceremonies/{id}/visit-slots/summary', { params: { path: { id: ceremonyId } } })).slots,
  });
}

/** The server's own dry run of a series: the same rule and checks as generating it. */
export function usePreviewSlots(ceremonyId: string) {
  return useMutation({
    mutationFn: async (plan: SeriesPlan) =>
      answer(
        await api.POST('/ceremonies/{id}/visit-slots/preview', { params: { path: { id: ceremonyId } }, body: plan }),
      ),
  });
}

export function useGenerateSlots(ceremonyId: string) {
  const refresh = useRefreshVisits();
  return useMutation({
    mutationFn: async (plan: SeriesPlan) => {
      const created = answer(
        await api.POST('/ceremonies/{id}/visit-slots', { params: { path: { id: ceremonyId } }, body: plan }),
      );
      return Array.isArray(created) ? created.length : 1;
    },
    onSuccess: refresh,
  });
}

export function useUpdateCapacity() {
  const refresh = useRefreshVisits();
  return useMutation({
    mutationFn: async ({ slotId, capacity }: { slotId: string; capacity: number }) =>
      answer(await api.PATCH('/visit-slots/{slotId}', { params: { path: { slotId } }, body: { capacity } })),
    onSuccess: refresh,
  });
}

export function useDeleteSlot() {
  const refresh = useRefreshVisits();
  return useMutation({
    mutationFn: async (slotId: string) => {
      const result = await api.DELETE('/visit-slots/{slotId}', { params: { path: { slotId } } });
      if (!result.response.ok) throw new ApiRefusal(result.response.status, result.error);
    },
    onSuccess: refresh,
  });
}

function bookingQuery(filters: BookingFilters) {
  return {
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(filters.slotId ? { slotId: filters.slotId } : {}),
    ...(filters.status ? { status: filters.status } : {}),
  };
}

/** One page of the edition's bookings; the previous page stays on screen while the next one loads. */
export function useBookings(ceremonyId: string, filters: BookingFilters) {
  return useQuery({
    queryKey: ['bookings', ceremonyId, filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      answer(
        await api.GET('/ceremonies/{id}/bookings', {
          params: {
            path: { id: ceremonyId },
            query: { ...bookingQuery(filters), limit: BOOKINGS_PER_PAGE, offset: filters.offset },
          },
        }),
      ),
  });
}

/** The CSV download of every booking the filters match (the session cookie goes with a plain link). */
export function bookingsCsvUrl(ceremonyId: string, filters: BookingFilters): string {
  const query = new URLSearchParams({ ...bookingQuery(filters), format: 'csv' });
  return `/ceremonies/${encodeURIComponent(ceremonyId)}/bookings?${query.toString()}`;
}

export function useCancelBooking() {
  const refresh = useRefreshVisits();
  return useMutation({
    mutationFn: async (bookingId: string) =>
      answer(await api.POST('/bookings/{id}/cancel', { params: { path: { id: bookingId } } })),
    onSuccess: refresh,
  });
}
