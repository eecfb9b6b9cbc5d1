import { useQuery } from '@tanstack/react-query';
import { api } from '../auth/client';

/** The current edition's overview; null when no edition exists yet (the API answers 404). */
export function useOverview() {
  return useQuery({
    queryKey: ['overview'],
    queryFn: async () => {
      const { data, response } = await api.GET('/admin/overview');
      if (response.status === 404) return null;
      if (!data) throw new Error(`GET /admin/overview answered ${response.status}`);
      return data;
    },
  });
}

export function useAuditLog(limit: number, enabled: boolean) {
  return useQuery({
    queryKey: ['audit-log', limit],
    enabled,
    queryFn: async () => {
      const { data, response } = await api.GET('/audit-log', { params: { query: { limit } } });
      if (!data) throw new Error(`GET /audit-log answered ${response.status}`);
      return data;
    },
  });
}
