import { useQuery } from '@tanstack/react-query';
import type { components } from '../api/schema';
import { api } from '../auth/client';
import { useCatalog } from '../i18n/language';
import { navigate, useLocation } from '../shell/router';
import { useOverview } from '../overview/use-overview';

export type Edition = components['schemas']['CeremonyView'];

/** Every edition, newest first (staff see drafts too). */
export function useEditions() {
  return useQuery({
    queryKey: ['editions'],
    queryFn: async () => {
      const { data, response } = await api.GET('/ceremonies');
      if (!data) throw new Error(`GET /ceremonies answered ${response.status}`);
      return data;
    },
  });
}

/**
 * The edition a per-edition view works on: `?edition=<id>` in the address (so a link or a reload keeps
 * it), else the overview's current edition, else the newest. Undefined while loading, null when none exists.
 */
export function useSelectedEdition(): {
  edition: Edition | null | undefined;
  editions: Edition[];
  select(id: string): void;
} {
  const { path, search } = useLocation();
  const editions = useEditions();
  const overview = useOverview();
  const items = editions.data?.items ?? [];
  const wanted = search.get('edition') ?? overview.data?.edition.id;
  let edition: Edition | null | undefined;
  if (editions.isPending || (overview.isPending && !search.get('edition'))) edition = undefined;
  else edition = items.find((item) => item.id === wanted) ?? items[0] ?? null;
  function select(id: string) {
    const next = new URLSearchParams(search);
    next.set('edition', id);
    navigate(`${path}?${next.toString()}`, { replace: true });
  }
  return { edition, editions: items, select };
}

/** The edition chooser at the top of every per-edition view. */
export function EditionPicker({ edition, editions, select }: ReturnType<typeof useSelectedEdition>) {
  const t = useCatalog();
  if (!edition || editions.length < 2) return null;
  return (
    <label className="edition-picker">
      {t.edition}{' '}
      <select value={edition.id} onChange={(event) => select(event.target.value)}>
        {editions.map((item) => (
          <option key={item.id} value={item.id}>
            {item.year} · {item.title}
          </option>
        ))}
      </select>
    </label>
  );
}
