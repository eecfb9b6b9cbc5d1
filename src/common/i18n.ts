import { DateTime } from 'luxon';
import { LOCALES, Locale } from '../config/commemoration.config';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The person's language when the edition offers it, else the edition's first language, else the fallback. */
export function pickLocale(preferred: string | null | undefined, offered: readonly string[] | null | undefined, fallback: Locale): Locale {
  if (isLocale(preferred) && (!offered || offered.length === 0 || offered.includes(preferred))) return preferred;
  const first = offered?.find(isLocale);
  return first ?? fallback;
}

function local(instant: Date, timeZone: string, locale: Locale): DateTime {
  return DateTime.fromJSDate(instant, { zone: timeZone }).setLocale(locale);
}

/** "26 February 2027" / "26 fevral 2027" / "26 февраля 2027 г." */
export function formatDate(instant: Date, timeZone: string, locale: Locale): string {
  return local(instant, timeZone, locale).toLocaleString(DateTime.DATE_FULL);
}

/**
 * A date and time written out for a person, with the time zone named so nobody has to guess:
 * "26 February 2027, 10:00 (Asia/Baku, GMT+4)".
 */
export function formatDateTime(instant: Date, timeZone: string, locale: Locale): string {
  const dt = local(instant, timeZone, locale);
  return `${dt.toLocaleString(DateTime.DATE_FULL)}, ${dt.toFormat('HH:mm')} (${timeZone}, ${dt.toFormat('ZZZZ')})`;
}

/** "10:00" in the zone. */
export function formatTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('HH:mm');
}
