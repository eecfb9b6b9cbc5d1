import { DateTime, IANAZone } from 'luxon';

/** The instant of a wall-clock date and time in a time zone (DST gaps move forward, as luxon does). */
export function localToInstant(date: string, time: string, timeZone: string): Date {
  const local = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
  if (!local.isValid)
    throw new RangeError(`Invalid local time ${date} ${time} in ${timeZone}: ${local.invalidExplanation ?? ''}`);
  return local.toJSDate();
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function instantToLocalDate(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() as string;
}

/** The wall-clock time (HH:mm) of an instant in a time zone. */
export function instantToLocalTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('HH:mm');
}

/** The anniversary date in a year; 29 February falls back to 28 February in common years. */
export function anniversaryDate(year: number, month: number, day: number): string {
  const lastDay = DateTime.fromObject({ year, month }).daysInMonth ?? day;
  return DateTime.fromObject({ year, month, day: Math.min(day, lastDay) }).toISODate() as string;
}

/** HH:mm, 00:00 to 23:59. */
export const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An ISO 8601 instant with an explicit offset or Z, e.g. 2027-02-26T10:00:00+04:00. */
export const ISO_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** True for an IANA zone name the runtime knows (Asia/Baku); offsets and abbreviations are refused. */
export function isValidTimeZone(timeZone: string): boolean {
  return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$|^UTC$/.test(timeZone) && IANAZone.isValidZone(timeZone);
}

/** The zone name with the runtime's spelling when only the letter case differs (asia/baku -> Asia/Baku). */
export function canonicalTimeZone(timeZone: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
  } catch {
    return timeZone;
  }
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/** The instant of a local date and time, written ISO 8601 with the zone's offset (2027-02-26T10:00:00+04:00). */
export function localToIsoInstant(date: string, time: string, timeZone: string): string {
  return DateTime.fromJSDate(localToInstant(date, time, timeZone), { zone: timeZone }).toISO({
    suppressMilliseconds: true,
  }) as string;
}
