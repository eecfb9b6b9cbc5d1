import type { TestDatabase } from './database';

export interface CeremonyFixture {
  id: string;
  year: number;
  date: string;
  startTime: string;
  timeZone: string;
}

/**
 * Inserts an edition directly (for features under test that only need one to exist).
 * Published by default; tests of the ceremonies feature itself go through the API.
 */
export async function insertCeremony(
  db: TestDatabase,
  overrides: Partial<CeremonyFixture & { status: 'draft' | 'published'; title: string; locales: string[] }> = {},
): Promise<CeremonyFixture> {
  const year = overrides.year ?? 2027;
  const values = {
    year,
    title: overrides.title ?? `Khojaly Remembrance Day ${year}`,
    date: overrides.date ?? `${year}-02-26`,
    startTime: overrides.startTime ?? '10:00',
    timeZone: overrides.timeZone ?? 'Asia/Baku',
    status: overrides.status ?? 'published',
    locales: overrides.locales ?? ['az', 'en', 'ru'],
  };
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO ceremonies (year, title, date, start_time, time_zone, venue_name, venue_address, status, locales, published_at)
     VALUES ($1, $2, $3, $4, $5, 'Khojaly Genocide Memorial', 'Khatai district, Baku', $6::varchar, $7, CASE WHEN $6::varchar = 'published' THEN now() END)
     RETURNING id`,
    [values.year, values.title, values.date, values.startTime, values.timeZone, values.status, values.locales],
  );
  return { id: row.id, year: values.year, date: values.date, startTime: values.startTime, timeZone: values.timeZone };
}
