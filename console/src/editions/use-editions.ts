import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';
import { readProblem, type ApiProblem } from '../ui/forms';

export type EditionView = components['schemas']['CeremonyView'];
export type ProgramItem = components['schemas']['ProgramItemView'];
export type CreateEditionBody = components['schemas']['CreateCeremonyDto'];
export type UpdateEditionBody = components['schemas']['UpdateCeremonyDto'];
export type ProgramItemBody = components['schemas']['CreateProgramItemDto'];

/** A write the API refused: its status and body, read into per-field messages by the form. */
export class RefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`The API answered ${status}`);
  }
}

/** What a failed write means for a form: the API's per-field messages, or the fallback when the request itself failed. */
export function problemOf(error: Error, knownFields: readonly string[], fallback: string): ApiProblem {
  return error instanceof RefusedError
    ? readProblem(error.status, error.body, knownFields, fallback)
    : readProblem(0, null, [], fallback);
}

function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new RefusedError(result.response.status, result.error);
  return result.data;
}

/** The defaults a new edition of `year` gets from configuration (no year: the one the server proposes). */
export function useEditionDefaults(year?: number, enabled = true) {
  return useQuery({
    queryKey: ['edition-defaults', year ?? null],
    enabled,
    queryFn: async () =>
      answer(await api.GET('/ceremonies/defaults', { params: { query: year === undefined ? {} : { year } } })),
    staleTime: Infinity,
  });
}

/** One edition as staff read it (drafts too), with every language of its texts under `translations`. */
export function useEdition(id: string) {
  return useQuery({
    queryKey: ['edition', id],
    queryFn: async () => {
      const result = await api.GET('/ceremonies/{id}', { params: { path: { id } } });
      if (result.response.status === 404 || result.response.status === 400) return null;
      return answer(result);
    },
  });
}

export function useProgram(id: string) {
  return useQuery({
    queryKey: ['program', id],
    queryFn: async () =>
      answer(await api.GET('/ceremonies/{id}/program', { params: { path: { id }, query: { limit: 500 } } })).items,
  });
}

/** After a change to an edition: the lists, the overview and the views of that edition read again. */
function useRefresh() {
  const queryClient = useQueryClient();
  return (id?: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['editions'] }),
      queryClient.invalidateQueries({ queryKey: ['overview'] }),
      queryClient.invalidateQueries({ queryKey: ['edition-defaults'] }),
      ...(id
        ? [
            queryClient.invalidateQueries({ queryKey: ['edition', id] }),
            queryClient.invalidateQueries({ queryKey: ['program', id] }),
          ]
        : []),
    ]);
}

export function useCreateEdition() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: CreateEditionBody) => answer(await api.POST('/ceremonies', { body })),
    onSuccess: () => refresh(),
  });
}

export function useUpdateEdition(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: UpdateEditionBody) =>
      answer(await api.PATCH('/ceremonies/{id}', { params: { path: { id } }, body })),
    onSuccess: () => refresh(id),
  });
}

export function usePublication(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (publish: boolean) =>
      answer(
        publish
          ? await api.POST('/ceremonies/{id}/publish', { params: { path: { id } } })
          : await api.POST('/ceremonies/{id}/unpublish', { params: { path: { id } } }),
      ),
    onSuccess: () => refresh(id),
  });
}

export function useCopyToNextYear(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async () => answer(await api.POST('/ceremonies/{id}/next-year', { params: { path: { id } } })),
    onSuccess: () => refresh(id),
  });
}

/** Adds (no itemId) or edits a program item. */
export function useSaveProgramItem(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ itemId, body }: { itemId?: string; body: ProgramItemBody }) =>
      answer(
        itemId
          ? await api.PATCH('/ceremonies/{id}/program/{itemId}', { params: { path: { id, itemId } }, body })
          : await api.POST('/ceremonies/{id}/program', { params: { path: { id } }, body }),
      ),
    onSuccess: () => refresh(id),
  });
}

export function useRemoveProgramItem(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (itemId: string) => {
      const { response, error } = await api.DELETE('/ceremonies/{id}/program/{itemId}', {
        params: { path: { id, itemId } },
      });
      if (!response.ok) throw new RefusedError(response.status, error);
    },
    onSuccess: () => refresh(id),
  });
}
