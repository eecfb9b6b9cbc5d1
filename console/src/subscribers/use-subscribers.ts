import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';

export type Subscriber = components['schemas']['SubscriberView'];
export type SubscriberStatus = Subscriber['status'];
export interface SubscriberSearch {
  q: string;
  status: SubscriberStatus | '';
  offset: number;
}

export const PAGE_SIZE = 50;

/** The query string of a search, for the list and for its CSV download alike. */
export function searchParams(search: SubscriberSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q.trim()) params.set('q', search.q.trim());
  if (search.status) params.set('status', search.status);
  return params;
}

export function useSubscribers(search: SubscriberSearch) {
  return useQuery({
    queryKey: ['subscribers', search],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query = {
        q: search.q.trim() || undefined,
        status: search.status || undefined,
        limit: PAGE_SIZE,
        offset: search.offset,
      };
      const { data, response } = await api.GET('/subscribers', { params: { query } });
      if (!data) throw new Error(`GET /subscribers answered ${response.status}`);
      return data;
    },
  });
}

export function useUnsubscribe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { data, response } = await api.POST('/subscribers/{id}/unsubscribe', { params: { path: { id } } });
      if (!data) throw new Error(`POST /subscribers/${id}/unsubscribe answered ${response.status}`);
      return data;
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['subscribers'] });
      void queryClient.invalidateQueries({ queryKey: ['overview'] });
    },
  });
}
