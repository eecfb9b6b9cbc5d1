import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Locale } from '../config/commemoration.config';
import { formatDateTime } from '../common/i18n';
import { withLang } from '../common/page-link';

export type VisitMailKind = 'confirmed' | 'waitlisted' | 'promoted';

export interface VisitMailFacts {
  bookingId: string;
  name: string;
  partySize: number;
  ceremonyTitle: string;
  venueName: string;
  venueAddress: string;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  /** Only known when the booking was just made; the token is never stored. */
  manageUrl: string | null;
  /** The check-in code shown as a QR image (confirmed visits only); it opens nothing but the desk's check-in. */
  checkInCode: string | null;
  /** Host used in the calendar UID. */
  domain: string;
  /** The calendar event's DTSTAMP: when what it announces was decided, so composing it again gives the same file. */
  stamp?: Date;
}

export interface VisitMail {
  subject: string;
  text: string;
  html: string;
  ics: string | null;
}

interface Texts {
  subject: Record<VisitMailKind, (title: string) => string>;
  greeting: (name: string) => string;
  lead: Record<VisitMailKind, string>;
  time: string;
  place: string;
  party: (people: number) => string;
  manage: string;
  manageLater: string;
  checkIn: string;
  checkInCode: (code: string) => string;
  calendar: string;
  closing: string;
}

const TEXTS: Record<Locale, Texts> = {
  en: {
    subject: {
      confirmed: (title) => `Your memorial visit is booked: ${title}`,
      waitlisted: (title) => `You are on the waiting list for a memorial visit: ${title}`,
      promoted: (title) => `A place has become free: your memorial visit is confirmed: ${title}`,
    },
    greeting: (name) => `Dear ${name},`,
    lead: {
      confirmed: 'Your visit to the memorial has been booked.',
      waitlisted:
        'The time you chose is fully booked, so you are on the waiting list. If places become free, waiting visitors are confirmed in the order they registered and we will write to you again. Until then the visit is not confirmed.',
      promoted: 'A place has become free and your visit to the memorial is now confirmed.',
    },
    time: 'Time',
    place: 'Place',
    party: (people) => `Party size: ${people} ${people === 1 ? 'person' : 'people'}`,
    manage: 'If your plans change, please cancel here so that someone else can come in your place:',
    manageLater:
      'If your plans change, please cancel with the link in the first email we sent you, so that someone else can come in your place.',
    checkIn:
      'At the entrance, show the QR code attached to this message (qr.png, on your phone or printed) or the one on your booking page, to be checked in.',
    checkInCode: (code) => `If you cannot show it, give this check-in code: ${code}`,
    calendar: 'The attached calendar file adds the visit to your calendar.',
    closing: 'With respect,\nThe organizers',
  },
  az: {
    subject: {
      confirmed: (title) => `Xatirə ziyarətiniz qeydə alındı: ${title}`,
      waitlisted: (title) => `Xatirə ziyarəti üçün gözləmə siyahısındasınız: ${title}`,
      promoted: (title) => `Yer boşaldı, xatirə ziyarətiniz təsdiqləndi: ${title}`,
    },
    greeting: (name) => `Hörmətli ${name},`,
    lead: {
      confirmed: 'Memorialı ziyarətiniz qeydə alındı.',
      waitlisted:
        'Seçdiyiniz vaxt üçün bütün yerlər tutulub, ona görə gözləmə siyahısına əlavə olundunuz. Yer boşalarsa, gözləyənlər qeydiyyat ardıcıllığı ilə təsdiqlənir və sizə yenidən yazacağıq. O vaxta qədər ziyarətiniz təsdiqlənməyib.',
      promoted: 'Yer boşaldı və memorialı ziyarətiniz artıq təsdiqlənib.',
    },
    time: 'Vaxt',
    place: 'Yer',
    party: (people) => `Nəfər sayı: ${people}`,
    manage: 'Planlarınız dəyişərsə, başqası sizin yerinizə gələ bilsin deyə qeydiyyatı buradan ləğv edin:',
    manageLater:
      'Planlarınız dəyişərsə, başqası sizin yerinizə gələ bilsin deyə qeydiyyatı sizə göndərdiyimiz ilk məktubdakı keçidlə ləğv edin.',
    checkIn:
      'Girişdə qeydiyyat üçün bu məktuba əlavə olunmuş QR kodu (qr.png, telefonda və ya çap olunmuş) və ya qeydiyyat səhifənizdəkini göstərin.',
    checkInCode: (code) => `Göstərə bilmirsinizsə, bu qeydiyyat kodunu deyin: ${code}`,
    calendar: 'Əlavə olunmuş təqvim faylı ziyarəti təqviminizə əlavə edir.',
    closing: 'Hörmətlə,\nTəşkilatçılar',
  },
  ru: {
    subject: {
      confirmed: (title) => `Посещение мемориала забронировано: ${title}`,
      waitlisted: (title) => `Вы в листе ожидания на посещение мемориала: ${title}`,
      promoted: (title) => `Освободилось место, посещение мемориала подтверждено: ${title}`,
    },
    greeting: (name) => `Здравствуйте, ${name}.`,
    lead: {
      confirmed: 'Ваше посещение мемориала забронировано.',
      waitlisted:
        'На выбранное время все места заняты, поэтому вы внесены в лист ожидания. Если места освободятся, ожидающие подтверждаются в порядке регистрации, и мы напишем вам снова. До этого посещение не подтверждено.',
      promoted: 'Освободилось место, и ваше посещение мемориала теперь подтверждено.',
    },
    time: 'Время',
    place: 'Место',
    party: (people) => `Число человек: ${people}`,
    manage:
      'Если ваши планы изменятся, пожалуйста, отмените запись по этой ссылке, чтобы вместо вас мог прийти кто-то другой:',
    manageLater:
      'Если ваши планы изменятся, пожалуйста, отмените запись по ссылке из первого письма, чтобы вместо вас мог прийти кто-то другой.',
    checkIn:
      'На входе покажите QR-код из вложения к этому письму (qr.png, на телефоне или распечатанный) или со страницы вашей записи, чтобы отметить прибытие.',
    checkInCode: (code) => `Если показать его не получается, назовите код входа: ${code}`,
    calendar: 'Приложенный файл календаря добавит посещение в ваш календарь.',
    closing: 'С уважением,\nорганизаторы',
  },
};

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A calendar with one event for the visit; the UID is stable so a re-sent invitation updates it. */
export function visitCalendar(facts: VisitMailFacts, summary: string): string {
  const calendar = ical({
    prodId: { company: 'commemoration-api', product: 'visits', language: 'EN' },
    name: facts.ceremonyTitle,
    method: ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: `visit-${facts.bookingId}@${facts.domain}`,
    ...(facts.stamp ? { stamp: facts.stamp } : {}),
    start: facts.startsAt,
    end: facts.endsAt,
    summary,
    // No manage link here: calendar files get synced and shared more widely than the email.
    location: `${facts.venueName}, ${facts.venueAddress}`,
  });
  return calendar.toString();
}

/** The visitor's message for a booking event, in one language. */
export function buildVisitMail(kind: VisitMailKind, locale: Locale, facts: VisitMailFacts): VisitMail {
  const texts = TEXTS[locale];
  const when = formatDateTime(facts.startsAt, facts.timeZone, locale);
  const place = `${facts.venueName}, ${facts.venueAddress}`;
  const withCalendar = kind !== 'waitlisted';
  const manageUrl = facts.manageUrl ? withLang(facts.manageUrl, locale) : null;
  const manageLines = manageUrl ? [texts.manage, manageUrl] : [texts.manageLater];
  const checkIn = kind !== 'waitlisted' && facts.checkInCode ? facts.checkInCode : null;
  const paragraphs: string[][] = [
    [texts.greeting(facts.name)],
    [texts.lead[kind]],
    [facts.ceremonyTitle, `${texts.time}: ${when}`, `${texts.place}: ${place}`, texts.party(facts.partySize)],
    ...(checkIn ? [[texts.checkIn, texts.checkInCode(checkIn)]] : []),
    manageLines,
    ...(withCalendar ? [[texts.calendar]] : []),
    texts.closing.split('\n'),
  ];
  const text = paragraphs.map((lines) => lines.join('\n')).join('\n\n') + '\n';
  const htmlLine = (line: string): string => {
    if (line === manageUrl) return `<a href="${escapeHtml(line)}">${escapeHtml(line)}</a>`;
    return escapeHtml(line);
  };
  const html = paragraphs.map((lines) => `<p>${lines.map(htmlLine).join('<br>')}</p>`).join('\n');
  const subject = texts.subject[kind](facts.ceremonyTitle);
  return {
    subject,
    text,
    html: `<!doctype html><html lang="${locale}"><body>\n${html}\n</body></html>`,
    ics: withCalendar ? visitCalendar(facts, facts.ceremonyTitle) : null,
  };
}
