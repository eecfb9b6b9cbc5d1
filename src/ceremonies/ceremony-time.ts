import { DateTime } from 'luxon';

/** The instant of a wall-clock date and time in a time zone (DST gaps move forward, as luxon does). */
export function localToInstant(date: string, time: string, timeZone: string): Date {
  const local = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`Invalid local time ${date} ${time} in ${timeZone}: ${local.invalidExplanation ?? ''}`);
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
