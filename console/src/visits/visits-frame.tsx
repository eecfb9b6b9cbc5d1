import type { ReactNode } from 'react';
import { formatInstant } from '../i18n/format';
import type { Catalog } from '../i18n/catalogs';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { EditionPicker, useSelectedEdition, type Edition } from '../ui/edition';
import { Link, useLocation } from '../shell/router';
import { visitsTexts } from './texts';
import './visits.css';

/** A slot as staff name it: its start in the edition's zone (zone named) and the end's wall-clock time. */
export function slotLabel(slot: { startsAt: string; endsAt: string }, timeZone: string, catalog: Catalog): string {
  const start = formatInstant(slot.startsAt, timeZone, catalog);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(slot.endsAt));
  const end = `${parts.find((part) => part.type === 'hour')?.value}:${parts.find((part) => part.type === 'minute')?.value}`;
  // "26 February 2027, 11:00 (Asia/Baku)" → "26 February 2027, 11:00–11:30 (Asia/Baku)"
  return start.replace(` (${timeZone})`, `–${end} (${timeZone})`);
}

/** The heading, the two sections of Visits and the edition chooser; the view gets the chosen edition. */
export function VisitsFrame({ children }: { children(edition: Edition): ReactNode }) {
  const t = useCatalog();
  const texts = useTexts(visitsTexts);
  const selection = useSelectedEdition();
  const { path, search } = useLocation();
  const edition = search.get('edition');
  const keep = edition ? `?edition=${encodeURIComponent(edition)}` : '';
  const sections = [
    { to: '/visits', label: texts.slotsTab },
    { to: '/visits/bookings', label: texts.bookingsTab },
  ];
  return (
    <section aria-labelledby="visits-title" className="visits">
      <h1 id="visits-title">{texts.title}</h1>
      <nav aria-label={texts.sections} className="visits-sections">
        <ul>
          {sections.map((section) => (
            <li key={section.to}>
              <Link to={`${section.to}${keep}`} aria-current={path === section.to ? 'page' : undefined}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <EditionPicker {...selection} />
      {selection.edition === undefined && <p>{t.loading}</p>}
      {selection.edition === null && <p>{texts.noEdition}</p>}
      {selection.edition && children(selection.edition)}
    </section>
  );
}
