import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { components } from '../api/schema';
import { api } from '../auth/client';

export type DeskBooking = components['schemas']['BookingView'];
export type DeskSlot = components['schemas']['VisitSlotView'];

/** Every query of the desk sits under this key, so one invalidation after a check-in refreshes them all. */
const DESK = 'check-in';
/** How often the counter follows arrivals recorded at other gates. */
export const ARRIVALS_REFRESH_MS = 5_000;

/** The slots of an edition in time order. */
export function useDeskSlots(editionId: string) {
  return useQuery({
    queryKey: [DESK, 'slots', editionId],
    refetchInterval: 60_000,
    queryFn: async () => {
      const { data, response } = await api.GET('/ceremonies/{id}/visit-slots', { params: { path: { id: editionId } } });
      if (!data) throw new Error(`GET /ceremonies/${editionId}/visit-slots answered ${response.status}`);
      return [...data].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    },
  });
}

/** The slot at the gate: the one under way now, else the next one, else the last of the day. */
export function currentSlot(slots: DeskSlot[], now: number): DeskSlot | null {
  const running = slots.find((slot) => Date.parse(slot.startsAt) <= now && now < Date.parse(slot.endsAt));
  return running ?? slots.find((slot) => Date.parse(slot.startsAt) > now) ?? slots.at(-1) ?? null;
}

/** The device's time, renewed every half minute, so the current slot moves on by itself. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function useArrivals(slotId: string | undefined) {
  return useQuery({
    queryKey: [DESK, 'arrivals', slotId],
    enabled: Boolean(slotId),
    refetchInterval: ARRIVALS_REFRESH_MS,
    queryFn: async () => {
      const { data, response } = await api.GET('/visit-slots/{slotId}/arrivals', {
        params: { path: { slotId: slotId! } },
      });
      if (!data) throw new Error(`GET /visit-slots/${slotId}/arrivals answered ${response.status}`);
      return data;
    },
  });
}

export function useDeskSearch(editionId: string, text: string) {
  return useQuery({
    queryKey: [DESK, 'search', editionId, text],
    enabled: text.length >= 2,
    queryFn: async () => {
      const { data, response } = await api.GET('/ceremonies/{id}/check-in/search', {
        params: { path: { id: editionId }, query: { q: text } },
      });
      if (!data) throw new Error(`GET /ceremonies/${editionId}/check-in/search answered ${response.status}`);
      return data;
    },
  });
}

/** The booking of a scanned code; null for a code no booking has. */
export function useLookUp() {
  return useMutation({
    mutationFn: async (code: string): Promise<DeskBooking | null> => {
      const { data, response } = await api.POST('/check-in/look-up', { body: { code } });
      if (response.status === 404) return null;
      if (!data) throw new Error(`POST /check-in/look-up answered ${response.status}`);
      return data;
    },
  });
}

export type CheckInOutcome = { ok: true; booking: DeskBooking } | { ok: false; status: number; body: unknown };

export function useCheckIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (bookingId: string): Promise<CheckInOutcome> => {
      const { data, error, response } = await api.POST('/bookings/{id}/check-in', {
        params: { path: { id: bookingId } },
      });
      return data ? { ok: true, booking: data } : { ok: false, status: response.status, body: error };
    },
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [DESK] }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ]);
    },
  });
}
