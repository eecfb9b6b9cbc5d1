import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';
import { useLanguage } from '../i18n/texts';

export type VolunteerRole = components['schemas']['VolunteerRoleView'];
export type Volunteer = components['schemas']['VolunteerView'];
export type VolunteerStatus = Volunteer['status'];
export type RoleInput = components['schemas']['CreateVolunteerRoleDto'];
export type RosterFilter = { status?: VolunteerStatus; roleId?: string; offset: number };

export const ROSTER_PAGE = 100;

/** A refused write: its status and body, for readProblem. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`The API answered ${status}`);
  }
}

/** The edition's roles, names in the console's language (the request carries it). */
export function useRoles(ceremonyId: string | undefined) {
  const language = useLanguage();
  return useQuery({
    queryKey: ['volunteer-roles', ceremonyId, language],
    enabled: Boolean(ceremonyId),
    queryFn: async () => {
      const { data, response } = await api.GET('/ceremonies/{id}/volunteer-roles', {
        params: { path: { id: ceremonyId as string } },
      });
      if (!data) throw new Error(`GET volunteer-roles answered ${response.status}`);
      return data;
    },
  });
}

export function useRoster(ceremonyId: string | undefined, filter: RosterFilter) {
  const language = useLanguage();
  return useQuery({
    queryKey: ['volunteer-roster', ceremonyId, filter, language],
    enabled: Boolean(ceremonyId),
    queryFn: async () => {
      const { data, response } = await api.GET('/ceremonies/{id}/volunteers', {
        params: {
          path: { id: ceremonyId as string },
          query: { status: filter.status, roleId: filter.roleId, limit: ROSTER_PAGE, offset: filter.offset },
        },
      });
      if (!data) throw new Error(`GET roster answered ${response.status}`);
      return data;
    },
  });
}

/** Roles, roster and overview all change with a role or a volunteer. */
function useInvalidateVolunteers() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['volunteer-roles'] }),
      client.invalidateQueries({ queryKey: ['volunteer-roster'] }),
      client.invalidateQueries({ queryKey: ['overview'] }),
    ]);
}

export function useSaveRole(ceremonyId: string) {
  const invalidate = useInvalidateVolunteers();
  return useMutation({
    mutationFn: async ({ roleId, input }: { roleId: string | null; input: RoleInput }) => {
      const { data, error, response } = roleId
        ? await api.PATCH('/volunteer-roles/{roleId}', { params: { path: { roleId } }, body: input })
        : await api.POST('/ceremonies/{id}/volunteer-roles', { params: { path: { id: ceremonyId } }, body: input });
      if (!data) throw new Refusal(response.status, error);
      return data;
    },
    onSuccess: invalidate,
  });
}

export function useDeleteRole() {
  const invalidate = useInvalidateVolunteers();
  return useMutation({
    mutationFn: async (roleId: string) => {
      const { error, response } = await api.DELETE('/volunteer-roles/{roleId}', { params: { path: { roleId } } });
      if (!response.ok) throw new Refusal(response.status, error);
    },
    onSuccess: invalidate,
  });
}

/** Approve a pending sign-up, or give the volunteer a place in exactly these roles. */
export function useUpdateVolunteer() {
  const invalidate = useInvalidateVolunteers();
  return useMutation({
    mutationFn: async ({
      id,
      change,
    }: {
      id: string;
      change: components['schemas']['OrganizerUpdateVolunteerDto'];
    }) => {
      const { data, error, response } = await api.PATCH('/volunteers/{id}', { params: { path: { id } }, body: change });
      if (!data) throw new Refusal(response.status, error);
      return data;
    },
    onSuccess: invalidate,
  });
}
