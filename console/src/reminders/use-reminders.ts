import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';

export type ReminderRule = components['schemas']['ReminderRuleView'];
export type ReminderRuleInput = components['schemas']['ReminderRuleDto'];
export type ReminderRun = components['schemas']['ReminderRunView'];

/** A refused write, with the API's body for the form to read. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Refused with ${status}`);
  }
}

export function useReminderRules() {
  return useQuery({
    queryKey: ['reminder-rules'],
    queryFn: async () => {
      const { data, response } = await api.GET('/reminder-rules');
      if (!data) throw new Error(`GET /reminder-rules answered ${response.status}`);
      return data;
    },
  });
}

export function useReminderTemplateKeys() {
  return useQuery({
    queryKey: ['reminder-templates'],
    queryFn: async () => {
      const { data, response } = await api.GET('/reminder-templates');
      if (!data) throw new Error(`GET /reminder-templates answered ${response.status}`);
      return data.map((template) => template.key);
    },
  });
}

export function useSaveReminderRules() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (rules: ReminderRuleInput[]) => {
      const { data, error, response } = await api.PUT('/reminder-rules', { body: rules });
      if (!data) throw new Refusal(response.status, error);
      return data;
    },
    onSuccess: (rules) => {
      queryClient.setQueryData(['reminder-rules'], rules);
      // The overview and the runs list the rules' due times too.
      void queryClient.invalidateQueries({ queryKey: ['reminder-runs'] });
      void queryClient.invalidateQueries({ queryKey: ['overview'] });
    },
  });
}

export function useReminderRuns(year: number | undefined) {
  return useQuery({
    queryKey: ['reminder-runs', year],
    enabled: year !== undefined,
    queryFn: async () => {
      const { data, response } = await api.GET('/reminder-runs', { params: { query: { year } } });
      if (!data) throw new Error(`GET /reminder-runs answered ${response.status}`);
      return data;
    },
  });
}
