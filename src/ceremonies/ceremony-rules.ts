import { BadRequestException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { applyText, LocalizedText, mapText } from '../common/localized-text';
import type { CeremonyValues } from './ceremonies.repository';
import type { Ceremony } from './ceremony.entity';
import {
  anniversaryDate,
  canonicalTimeZone,
  instantToLocalDate,
  instantToLocalTime,
  isCalendarDate,
  isValidTimeZone,
  LOCAL_TIME_PATTERN,
} from './ceremony-time';
import type { CreateCeremonyDto, UpdateCeremonyDto } from './dto/ceremony.dto';
import type { UpdateProgramItemDto } from './dto/program-item.dto';
import type { ProgramItemValues } from './program-items.repository';

/** Where the configured commemoration falls, for defaults. */
export interface CommemorationDefaults {
  month: number;
  day: number;
  defaultTimeZone: string;
}

function refuseNulls(dto: object, fields: readonly string[], errors: string[]): void {
  for (const field of fields) {
    if ((dto as Record<string, unknown>)[field] === null) errors.push(`${field} must not be null`);
  }
}

/**
 * The one validator of an edition, for create (current = null) and for edits (current = the
 * stored edition, dto = the changed fields). Returns the complete values or a 400 naming each field.
 */
export function resolveEditionValues(
  dto: CreateCeremonyDto | UpdateCeremonyDto,
  current: CeremonyValues | null,
  defaults: CommemorationDefaults,
): CeremonyValues {
  const errors: string[] = [];
  refuseNulls(dto, ['year', 'title', 'date', 'startTime', 'timeZone', 'venue', 'locales'], errors);
  if (errors.length > 0) throw new BadRequestException(errors);

  const year = dto.year ?? (current?.year as number);
  const date = dto.date ?? current?.date ?? anniversaryDate(year, defaults.month, defaults.day);
  const timeZone =
    dto.timeZone !== undefined ? canonicalTimeZone(dto.timeZone) : (current?.timeZone ?? defaults.defaultTimeZone);
  if (!isCalendarDate(date)) errors.push(`date ${date} is not a calendar date (YYYY-MM-DD)`);
  else if (Number(date.slice(0, 4)) !== year) errors.push(`date ${date} must lie in ${year}, the edition's year`);
  if (!isValidTimeZone(timeZone)) errors.push(`timeZone "${timeZone}" is not an IANA time zone name such as Asia/Baku`);

  const venue = dto.venue;
  const venueLat = venue ? (venue.lat ?? null) : (current?.venueLat ?? null);
  const venueLng = venue ? (venue.lng ?? null) : (current?.venueLng ?? null);
  if ((venueLat === null) !== (venueLng === null)) errors.push('venue.lat and venue.lng must be given together');
  if (errors.length > 0) throw new BadRequestException(errors);

  const locales = dto.locales ?? current?.locales ?? ['az', 'en', 'ru'];
  let translations = current?.translations ?? {};
  const text = <N extends boolean>(
    field: string,
    given: LocalizedText | null | undefined,
    plain: string | null | undefined,
    nullable: N,
  ) => {
    const applied = applyText(field, given, plain, translations, locales, nullable);
    translations = applied.translations;
    return applied.plain;
  };
  return {
    year,
    title: text('title', dto.title, current?.title, false),
    date,
    startTime: dto.startTime ?? (current?.startTime as string),
    timeZone,
    venueName: text('venue.name', venue?.name, current?.venueName, false),
    venueAddress: text('venue.address', venue?.address, current?.venueAddress, false),
    venueLat,
    venueLng,
    description: text('description', dto.description, current?.description, true),
    locales,
    translations,
  };
}

/** True when the edition's start instant may have moved, so everything relative to it must follow. */
export function startMoved(before: CeremonyValues, after: CeremonyValues): boolean {
  return before.date !== after.date || before.startTime !== after.startTime || before.timeZone !== after.timeZone;
}

/**
 * Next year's draft of an edition: the date moves to next year's anniversary (or the same month
 * and day when the edition was not on the anniversary), a year in the title moves with it.
 */
export function nextYearValues(source: Ceremony, defaults: CommemorationDefaults): CeremonyValues {
  const year = source.year + 1;
  const wasOnAnniversary = source.date === anniversaryDate(source.year, defaults.month, defaults.day);
  const [, month, day] = source.date.split('-').map(Number);
  const nextTitle = (title: string) => title.replace(new RegExp(`\\b${source.year}\\b`, 'g'), String(year));
  const sourceTranslations = source.translations ?? {};
  const titleMap = sourceTranslations.title;
  return {
    year,
    title: nextTitle(source.title),
    date: wasOnAnniversary ? anniversaryDate(year, defaults.month, defaults.day) : anniversaryDate(year, month, day),
    startTime: source.startTime,
    timeZone: source.timeZone,
    venueName: source.venueName,
    venueAddress: source.venueAddress,
    venueLat: source.venueLat,
    venueLng: source.venueLng,
    description: source.description,
    locales: source.locales,
    // Every language's title moves to next year too; the other maps are copied as they are.
    translations: titleMap ? { ...sourceTranslations, title: mapText(titleMap, nextTitle) } : { ...sourceTranslations },
  };
}

/**
 * A program time as HH:mm local to the edition. An ISO instant is converted to the edition's
 * zone and must fall on the edition's date.
 */
export function toLocalProgramTime(
  field: string,
  value: string,
  ceremony: Pick<Ceremony, 'date' | 'timeZone'>,
  errors: string[],
): string | null {
  if (LOCAL_TIME_PATTERN.test(value)) return value;
  const instant = DateTime.fromISO(value, { setZone: true });
  if (!instant.isValid) {
    errors.push(`${field} ${value} is not a valid instant`);
    return null;
  }
  const date = instantToLocalDate(instant.toJSDate(), ceremony.timeZone);
  if (date !== ceremony.date) {
    errors.push(`${field} ${value} is on ${date} in ${ceremony.timeZone}, not on the ceremony's date ${ceremony.date}`);
    return null;
  }
  return instantToLocalTime(instant.toJSDate(), ceremony.timeZone);
}

/** The one validator of a program item, for create (current = null) and for edits. */
export function resolveProgramItemValues(
  dto: UpdateProgramItemDto,
  current: ProgramItemValues | null,
  ceremony: Pick<Ceremony, 'date' | 'timeZone'> & Partial<Pick<Ceremony, 'locales'>>,
): ProgramItemValues {
  const errors: string[] = [];
  refuseNulls(dto, ['startTime', 'title'], errors);
  if (errors.length > 0) throw new BadRequestException(errors);
  const startTime =
    dto.startTime !== undefined
      ? toLocalProgramTime('startTime', dto.startTime, ceremony, errors)
      : (current?.startTime as string);
  const endTime =
    dto.endTime === undefined
      ? (current?.endTime ?? null)
      : dto.endTime === null
        ? null
        : toLocalProgramTime('endTime', dto.endTime, ceremony, errors);
  if (errors.length > 0) throw new BadRequestException(errors);
  if (startTime && endTime && endTime <= startTime) {
    throw new BadRequestException([
      `endTime ${endTime} must be later than startTime ${startTime} (an item ends after it starts, on the same day)`,
    ]);
  }
  let translations = current?.translations ?? {};
  const text = <N extends boolean>(
    field: string,
    given: LocalizedText | null | undefined,
    plain: string | null | undefined,
    nullable: N,
  ) => {
    const applied = applyText(field, given, plain, translations, ceremony.locales ?? [], nullable);
    translations = applied.translations;
    return applied.plain;
  };
  return {
    startTime: startTime as string,
    endTime,
    title: text('title', dto.title, current?.title, false),
    speaker: text('speaker', dto.speaker, current?.speaker, true),
    description: text('description', dto.description, current?.description, true),
    translations,
  };
}
