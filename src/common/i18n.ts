import { DateTime } from 'luxon';
import { LOCALES, Locale } from '../config/commemoration.config';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The person's language when the edition offers it, else the edition's first language, else the fallback. */
export function pickLocale(
  preferred: string | null | undefined,
  offered: readonly string[] | null | undefined,
  fallback: Locale,
): Locale {
  if (isLocale(preferred) && (!offered || offered.length === 0 || offered.includes(preferred))) return preferred;
  const first = offered?.find(isLocale);
  return first ?? fallback;
}

function local(instant: Date, timeZone: string, locale: Locale): DateTime {
  return DateTime.fromJSDate(instant, { zone: timeZone }).setLocale(locale);
}

/**
 * Remembers recent results: the same few slot and ceremony times are written into every booking
 * and sign-up mail, and naming the zone's offset ("GMT+4") builds a new Intl formatter each time in
 * luxon, otherwise the largest single cost of a booking's confirmation mail.
 */
function remembered(
  format: (instant: Date, timeZone: string, locale: Locale) => string,
): (instant: Date, timeZone: string, locale: Locale) => string {
  const results = new Map<string, string>();
  return (instant, timeZone, locale) => {
    const key = `${instant.getTime()}|${timeZone}|${locale}`;
    let result = results.get(key);
    if (result === undefined) {
      result = format(instant, timeZone, locale);
      if (results.size >= 1000) results.clear();
      results.set(key, result);
    }
    return result;
  };
}

/**
 * The full date in words. Russian drops the " г." that Intl appends: it ends in a period, so a
 * sentence that ends with the date would read "2027 г.." ("26 февраля 2027" is just as correct).
 */
function fullDate(dt: DateTime, locale: Locale): string {
  const written = dt.toLocaleString(DateTime.DATE_FULL);
  return locale === 'ru' ? written.replace(/\s*г\.$/, '') : written;
}

/** "February 26, 2027" / "26 fevral 2027" / "26 февраля 2027" */
export const formatDate = remembered((instant, timeZone, locale) => fullDate(local(instant, timeZone, locale), locale));

/**
 * A date and time written out for a person, with the time zone named so nobody has to guess:
 * "26 February 2027, 10:00 (Asia/Baku, GMT+4)".
 */
export const formatDateTime = remembered((instant, timeZone, locale) => {
  const dt = local(instant, timeZone, locale);
  return `${fullDate(dt, locale)}, ${dt.toFormat('HH:mm')} (${timeZone}, ${dt.toFormat('ZZZZ')})`;
});

/** "10:00" in the zone. */
export function formatTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('HH:mm');
}
