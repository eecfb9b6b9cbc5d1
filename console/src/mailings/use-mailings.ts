import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';

export type Mailing = components['schemas']['MailingView'];
export type Audience = components['schemas']['AudienceDto'];
export type MailingContent = components['schemas']['MailingContentDto'];
export type Delivery = components['schemas']['DeliveryView'];
export type DeliveryStatus = Delivery['status'];
export type Preview = components['schemas']['PreviewView'];

/** A refused request: the status and the API's body, for readProblem. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`The API answered ${status}`);
  }
}

function dataOr<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new ApiRefusal(result.response.status, result.error);
  return result.data;
}

/** Mailings still moving: their counts change, so their views refresh. */
export const isLive = (mailing: Mailing | undefined) =>
  mailing?.status === 'sending' || mailing?.status === 'scheduled';

const REFRESH_MS = 1000;

export function useMailings() {
  return useQuery({
    queryKey: ['mailings'],
    queryFn: async () => dataOr(await api.GET('/mailings', { params: { query: { limit: 100 } } })),
    refetchInterval: (query) => (query.state.data?.items.some(isLive) ? REFRESH_MS : false),
  });
}

export function useMailing(id: string) {
  return useQuery({
    queryKey: ['mailings', id],
    queryFn: async () => {
      const result = await api.GET('/mailings/{id}', { params: { path: { id } } });
      if (result.response.status === 404) return null;
      return dataOr(result);
    },
    refetchInterval: (query) => (isLive(query.state.data ?? undefined) ? REFRESH_MS : false),
  });
}

/** `version` changes with the mailing's counts, so the last outcomes are read even after the mailing stops being live. */
export function useDeliveries(id: string, status: DeliveryStatus | undefined, live: boolean, version: string) {
  return useQuery({
    queryKey: ['mailings', id, 'deliveries', status ?? 'all', version],
    placeholderData: (previous) => previous,
    queryFn: async () =>
      dataOr(
        await api.GET('/mailings/{id}/deliveries', {
          params: { path: { id }, query: { limit: 200, ...(status ? { status } : {}) } },
        }),
      ),
    refetchInterval: live ? REFRESH_MS : false,
  });
}

export function useTemplateVariables() {
  return useQuery({
    queryKey: ['mailing-variables'],
    queryFn: async () => dataOr(await api.GET('/mailings/variables')),
    staleTime: Infinity,
  });
}

/** The number of people a send would mail now; refreshed when the audience changes. */
export function useAudienceCount(audience: Audience | null) {
  return useQuery({
    queryKey: ['audience-count', audience],
    enabled: audience !== null,
    queryFn: async () =>
      dataOr(await api.POST('/mailings/audience-count', { body: { audience: audience! } })).recipients,
    retry: false,
  });
}

export function useVolunteerRoles(ceremonyId: string | undefined) {
  return useQuery({
    queryKey: ['volunteer-roles', ceremonyId],
    enabled: !!ceremonyId,
    queryFn: async () =>
      dataOr(await api.GET('/ceremonies/{id}/volunteer-roles', { params: { path: { id: ceremonyId! } } })),
  });
}

export interface DraftInput {
  name: string;
  audience: Audience;
  content: MailingContent;
}

/** Creates the draft, or changes it when `id` is given. */
export function useSaveDraft(id: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: DraftInput) =>
      id
        ? dataOr(await api.PATCH('/mailings/{id}', { params: { path: { id } }, body: input }))
        : dataOr(await api.POST('/mailings', { body: input })),
    onSuccess: (mailing) => {
      queryClient.setQueryData(['mailings', mailing.id], mailing);
      void queryClient.invalidateQueries({ queryKey: ['mailings'], exact: true });
    },
  });
}

export function usePreview(id: string) {
  return useMutation({
    mutationFn: async (input: { sample?: string; locale?: 'az' | 'en' | 'ru' }) =>
      dataOr(await api.POST('/mailings/{id}/preview', { params: { path: { id } }, body: input })),
  });
}

export function useTestSend(id: string) {
  return useMutation({
    mutationFn: async (input: { email: string; locale?: 'az' | 'en' | 'ru' }) =>
      dataOr(await api.POST('/mailings/{id}/test', { params: { path: { id } }, body: input })),
  });
}

function useMailingAction(id: string, action: (id: string) => Promise<Mailing>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => action(id),
    onSuccess: (mailing) => {
      queryClient.setQueryData(['mailings', id], mailing);
      void queryClient.invalidateQueries({ queryKey: ['mailings'] });
    },
  });
}

export function useSend(id: string, at: () => string | undefined) {
  return useMailingAction(id, async () => {
    const when = at();
    return dataOr(await api.POST('/mailings/{id}/send', { params: { path: { id } }, body: when ? { at: when } : {} }));
  });
}

export function useCancel(id: string) {
  return useMailingAction(id, async () =>
    dataOr(await api.POST('/mailings/{id}/cancel', { params: { path: { id } } })),
  );
}
