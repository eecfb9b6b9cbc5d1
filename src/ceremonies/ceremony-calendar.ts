import ical, { ICalEventData } from 'ical-generator';
import { resolveField } from '../common/localized-text';
import type { Locale } from '../config/commemoration.config';
import type { Ceremony } from './ceremony.entity';
import { localToInstant } from './ceremony-time';
import type { ProgramItem } from './program-item.entity';

/** How long the ceremony's event lasts in a calendar when its program does not say. */
export const DEFAULT_CEREMONY_DURATION_MS = 2 * 60 * 60 * 1000;

/** One event of an .ics file. Instants are written in UTC, so no VTIMEZONE is needed. */
export interface CalendarEvent {
  /** Stable across changes, so calendar apps update the event instead of adding a copy. */
  uid: string;
  start: Date;
  end?: Date | null;
  summary: string;
  description?: string | null;
  location?: { name: string; address: string; lat?: number | null; lng?: number | null } | null;
  url?: string | null;
  /** When the event's data last changed; written as DTSTAMP and LAST-MODIFIED. */
  lastModified: Date;
  /** SEQUENCE: must grow with every change of the event (0 when omitted). */
  sequence?: number;
}

/**
 * A SEQUENCE that grows with every change without storing a counter: whole seconds between the
 * record's creation and its last change (fits RFC 5545's integer for decades).
 */
export function sequenceOf(createdAt: Date, lastModified: Date): number {
  return Math.max(0, Math.floor((lastModified.getTime() - createdAt.getTime()) / 1000));
}

/** An RFC 5545 calendar (text/calendar) holding these events. */
export function buildCalendar(name: string, events: readonly CalendarEvent[]): string {
  const calendar = ical({ name, prodId: { company: 'commemoration-api', product: 'ceremonies', language: 'EN' } });
  for (const event of events) {
    const data: ICalEventData = {
      id: event.uid,
      start: event.start,
      end: event.end ?? null,
      summary: event.summary,
      description: event.description ?? null,
      url: event.url ?? null,
      stamp: event.lastModified,
      lastModified: event.lastModified,
      sequence: event.sequence ?? 0,
    };
    if (event.location) {
      const { name: title, address, lat, lng } = event.location;
      data.location =
        typeof lat === 'number' && typeof lng === 'number'
          ? { title, address, geo: { lat, lon: lng } }
          : `${title}, ${address}`;
    }
    calendar.createEvent(data);
  }
  return calendar.toString();
}

export function ceremonyEventUid(ceremonyId: string, domain: string): string {
  return `ceremony-${ceremonyId}@${domain}`;
}

export function programItemEventUid(itemId: string, domain: string): string {
  return `program-${itemId}@${domain}`;
}

/**
 * The ceremony as one calendar event: it starts at the edition's local start and ends at the
 * latest end in its program, or two hours later when the program gives none.
 */
export function ceremonyEvent(
  ceremony: Ceremony,
  domain: string,
  program: readonly ProgramItem[] = [],
  lang: readonly Locale[] = [],
): CalendarEvent {
  const text = <T extends string | null>(plain: T, field: string) =>
    resolveField(plain, ceremony.translations, field, lang, ceremony.locales);
  const start = localToInstant(ceremony.date, ceremony.startTime, ceremony.timeZone);
  const programEnds = program
    .map((item) => (item.endTime ? localToInstant(ceremony.date, item.endTime, ceremony.timeZone).getTime() : 0))
    .filter((end) => end > start.getTime());
  const end = new Date(
    programEnds.length > 0 ? Math.max(...programEnds) : start.getTime() + DEFAULT_CEREMONY_DURATION_MS,
  );
  return {
    uid: ceremonyEventUid(ceremony.id, domain),
    start,
    end,
    summary: text(ceremony.title, 'title'),
    description: text(ceremony.description, 'description'),
    location: venueOf(ceremony, lang),
    lastModified: ceremony.updatedAt,
    sequence: sequenceOf(ceremony.createdAt, ceremony.updatedAt),
  };
}

function venueOf(ceremony: Ceremony, lang: readonly Locale[]): NonNullable<CalendarEvent['location']> {
  return {
    name: resolveField(ceremony.venueName, ceremony.translations, 'venue.name', lang, ceremony.locales),
    address: resolveField(ceremony.venueAddress, ceremony.translations, 'venue.address', lang, ceremony.locales),
    lat: ceremony.venueLat,
    lng: ceremony.venueLng,
  };
}

/** The ceremony and one event per program item, in program order, its texts in the reader's language (none: the edition's first). */
export function buildCeremonyCalendar(
  ceremony: Ceremony,
  program: readonly ProgramItem[],
  domain: string,
  lang: readonly Locale[] = [],
): string {
  const location = venueOf(ceremony, lang);
  const items = program.map((item): CalendarEvent => {
    const lastModified = new Date(Math.max(item.updatedAt.getTime(), ceremony.updatedAt.getTime()));
    const text = <T extends string | null>(plain: T, field: string) =>
      resolveField(plain, item.translations, field, lang, ceremony.locales);
    const title = text(item.title, 'title');
    const speaker = text(item.speaker, 'speaker');
    return {
      uid: programItemEventUid(item.id, domain),
      start: localToInstant(ceremony.date, item.startTime, ceremony.timeZone),
      end: item.endTime ? localToInstant(ceremony.date, item.endTime, ceremony.timeZone) : null,
      summary: speaker ? `${title} (${speaker})` : title,
      description: text(item.description, 'description'),
      location,
      // An item also changes when the edition's date or time zone moves.
      lastModified,
      sequence: sequenceOf(item.createdAt, lastModified),
    };
  });
  return buildCalendar(resolveField(ceremony.title, ceremony.translations, 'title', lang, ceremony.locales), [
    ceremonyEvent(ceremony, domain, program, lang),
    ...items,
  ]);
}
