import type { Catalog } from './catalogs';

/**
 * The one formatter of instants: the wall-clock numbers in the edition's zone come from Intl (numeric
 * parts only, present in every ICU build), month names from our catalogs (Debian's Chromium has no
 * Azerbaijani ones), and the zone is always named.
 */
export function formatInstant(instant: string | Date, timeZone: string, catalog: Catalog): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  const month = catalog.months[Number(part('month')) - 1];
  return `${Number(part('day'))} ${month} ${part('year')}, ${part('hour')}:${part('minute')} (${timeZone})`;
}

/** A calendar date (YYYY-MM-DD) with the month's name in the console's language. */
export function formatDate(date: string, catalog: Catalog): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${catalog.months[month - 1]} ${year}`;
}
