import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';

export type StaffUser = components['schemas']['UserView'];
export type NewStaffUser = components['schemas']['CreateUserDto'];

/** A refused write, with the API's body for the form to read. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Refused with ${status}`);
  }
}

export function useStaffUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => {
      const { data, response } = await api.GET('/users', { params: { query: { limit: 500 } } });
      if (!data) throw new Error(`GET /users answered ${response.status}`);
      return data;
    },
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (user: NewStaffUser) => {
      const { data, error, response } = await api.POST('/users', { body: user });
      if (!data) throw new Refusal(response.status, error);
      return data;
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useSetActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, active }: { id: string; active: boolean }) => {
      const { data, error, response } = await api.PATCH('/users/{id}', { params: { path: { id } }, body: { active } });
      if (!data) throw new Refusal(response.status, error);
      return data;
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: async (id: string) => {
      const { data, error, response } = await api.POST('/users/{id}/password-reset', { params: { path: { id } } });
      if (!data) throw new Refusal(response.status, error);
      return data;
    },
  });
}
