import type { ReactNode } from 'react';
import { EditionPicker, useSelectedEdition, type Edition } from '../ui/edition';
import { useTexts } from '../i18n/texts';
import { Link, useLocation } from '../shell/router';
import { volunteerTexts } from './texts';
import './volunteers.css';

/** The title, the two volunteer pages and the edition chooser; the page's body gets the chosen edition. */
export function VolunteersFrame({ children }: { children(edition: Edition): ReactNode }) {
  const t = useTexts(volunteerTexts);
  const selected = useSelectedEdition();
  const { path, search } = useLocation();
  const edition = selected.edition;
  // The chosen edition stays chosen when switching between the two pages.
  const query = search.get('edition') ? `?edition=${encodeURIComponent(search.get('edition') as string)}` : '';
  const tab = (to: string, label: string) => (
    <li>
      <Link to={`${to}${query}`} aria-current={path === to ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <section aria-labelledby="volunteers-title" className="volunteers">
      <h1 id="volunteers-title">
        {t.title}
        {edition ? `: ${edition.title}` : ''}
      </h1>
      <nav aria-label={t.sections} className="volunteers-tabs">
        <ul>
          {tab('/volunteers', t.rolesTab)}
          {tab('/volunteers/roster', t.rosterTab)}
        </ul>
      </nav>
      <EditionPicker {...selected} />
      {edition === undefined ? null : edition === null ? <p>{t.noEdition}</p> : children(edition)}
    </section>
  );
}
