import {
  content as defaultReminderContent,
  RULES as DEFAULT_REMINDERS,
  withHtml,
} from '../../migrations/support/default-reminders';
import { passwordResetMessage } from '../auth/password-reset-messages';
import { localToInstant } from '../ceremonies/ceremony-time';
import type { Locale } from '../config/commemoration.config';
import { unsubscribeConfirmPage, unsubscribedPage } from '../mailings/unsubscribe-page';
import { CompiledContent } from '../mailings/mailing-templates';
import { confirmationMessage, confirmedPage, confirmPage } from '../subscriptions/subscription-messages';
import { buildVisitMail, VisitMailKind } from '../visits/visit-mail';
import { renderVolunteerMail, VolunteerMailContext, VolunteerMailKind } from '../volunteers/volunteer-mail-texts';
import { formatDate, formatDateTime } from './i18n';
import { mailHtml } from './mail-html';

/** Sample data as a reader of each language would get it: names and titles in that language. */
const SAMPLE: Record<
  Locale,
  { person: string; title: string; commemoration: string; venue: string; address: string; role: string }
> = {
  az: {
    person: 'Leyla Əliyeva',
    title: 'Xocalı soyqırımının anım günü 2027',
    commemoration: 'Xocalı soyqırımı anım günü',
    venue: 'Xocalı soyqırımı memorialı',
    address: 'Xətai rayonu, Bakı',
    role: 'Qarşılayanlar',
  },
  en: {
    person: 'John Smith',
    title: 'Khojaly Remembrance Day 2027',
    commemoration: 'Khojaly Remembrance Day',
    venue: 'Khojaly Genocide Memorial',
    address: 'Khatai district, Baku',
    role: 'Greeters',
  },
  ru: {
    person: 'Иван Петров',
    title: 'День памяти жертв Ходжалинского геноцида 2027',
    commemoration: 'День памяти жертв Ходжалинского геноцида',
    venue: 'Мемориал жертвам геноцида',
    address: 'Хатаинский район, Баку',
    role: 'Встречающие',
  },
};
const LOCALES: Locale[] = ['az', 'en', 'ru'];
const TIME_ZONE = 'Asia/Baku';
const LINK = 'https://commemoration.test/p/volunteer/confirm?token=abcdefghijklmnop';

/** Common English words that must not be left in an az or ru text (proper names and URLs removed first). */
const ENGLISH = new Set(
  'the your you and of to for with this that is are was be will not if by on at in from please dear hello hi thank thanks ceremony booking booked volunteer volunteers confirm confirmed link place places time date visit memorial reminder reminders unsubscribe subscription day remembrance party people person calendar sign up roles role password cancel waiting list team organizers'.split(
    ' ',
  ),
);

interface Rendered {
  name: string;
  locale: Locale;
  subject?: string;
  text?: string;
  html?: string;
}

function decode(html: string): string {
  return html
    .replace(/<(style|head)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
}
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

function volunteerMails(): Rendered[] {
  const out: Rendered[] = [];
  const contexts: Array<[string, VolunteerMailKind, Partial<VolunteerMailContext>]> = [
    ['request', 'confirm-request', { link: LINK, expiresAt: new Date('2027-02-01T08:00:00Z') }],
    [
      're-sign-up',
      'confirm-request',
      {
        link: LINK,
        expiresAt: new Date('2027-02-01T08:00:00Z'),
        details: { phone: '+994 50 123 45 67', consentReminders: true },
      },
    ],
    ['confirmed', 'confirmed', { link: LINK }],
    [
      'confirmed, partly waitlisted',
      'confirmed',
      { link: LINK, waitlisted: [{ name: 'X', shiftStart: '12:00', shiftEnd: '14:00' }] },
    ],
    [
      'waitlisted',
      'waitlisted',
      { link: LINK, assigned: [], waitlisted: [{ name: 'X', shiftStart: '12:00', shiftEnd: '14:00' }] },
    ],
    ['promoted', 'promoted', {}],
    ['withdrawn', 'withdrawn', { assigned: [] }],
  ];
  for (const locale of LOCALES) {
    const sample = SAMPLE[locale];
    for (const [name, kind, extra] of contexts) {
      const shift = { name: sample.role, shiftStart: '09:00', shiftEnd: '12:00' };
      const context: VolunteerMailContext = {
        kind,
        locale,
        name: sample.person,
        edition: { title: sample.title, date: '2027-02-26', timeZone: TIME_ZONE },
        assigned: [shift],
        waitlisted: [],
        ...extra,
      };
      context.waitlisted = context.waitlisted.map((waiting) => ({ ...waiting, name: sample.role }));
      out.push({ name: `volunteer ${name}`, locale, ...renderVolunteerMail(context) });
    }
  }
  return out;
}

function visitMails(): Rendered[] {
  const out: Rendered[] = [];
  for (const locale of LOCALES) {
    const sample = SAMPLE[locale];
    for (const kind of ['confirmed', 'waitlisted', 'promoted'] as VisitMailKind[]) {
      for (const manageUrl of ['https://commemoration.test/p/visit/manage?token=abc', null]) {
        const facts = {
          bookingId: 'b1',
          name: sample.person,
          partySize: 2,
          ceremonyTitle: sample.title,
          venueName: sample.venue,
          venueAddress: sample.address,
          timeZone: TIME_ZONE,
          startsAt: new Date('2027-02-26T07:00:00Z'),
          endsAt: new Date('2027-02-26T07:30:00Z'),
          manageUrl,
          checkInCode: 'c0dEc0dEc0dEc0dEc0dEc0',
          domain: 'commemoration.test',
        };
        const { subject, text, html } = buildVisitMail(kind, locale, facts);
        out.push({ name: `visit ${kind}${manageUrl ? '' : ' (no link)'}`, locale, subject, text, html });
      }
    }
  }
  return out;
}

function reminderMails(): Rendered[] {
  const out: Rendered[] = [];
  for (const rule of DEFAULT_REMINDERS) {
    const compiled = new CompiledContent(withHtml(defaultReminderContent(rule.offsetDays)), 'az');
    for (const locale of LOCALES) {
      const sample = SAMPLE[locale];
      const start = localToInstant('2027-02-26', '10:00', TIME_ZONE);
      const message = compiled.render(locale, {
        name: sample.person,
        ceremonyTitle: sample.title,
        ceremonyDate: formatDate(start, TIME_ZONE, locale),
        ceremonyStartTime: formatDateTime(start, TIME_ZONE, locale),
        venue: `${sample.venue}, ${sample.address}`,
        manageUrl: '',
        unsubscribeUrl: 'https://commemoration.test/unsubscribe/abc',
        commemorationName: sample.commemoration,
      });
      out.push({ name: `reminder ${rule.key}`, ...message });
    }
  }
  return out;
}

function allMails(): Rendered[] {
  return [
    ...volunteerMails(),
    ...visitMails(),
    ...LOCALES.map((locale) => ({
      name: 'subscription confirmation',
      locale,
      ...confirmationMessage(
        locale,
        SAMPLE[locale].commemoration,
        'https://commemoration.test/subscriptions/confirm?token=abc',
        48,
      ),
    })),
    {
      name: 'password reset',
      locale: 'en' as Locale,
      ...passwordResetMessage(
        SAMPLE.en.commemoration,
        'Staff Member',
        'https://commemoration.test/console/password-reset?token=abc',
        60,
      ),
    },
    ...reminderMails(),
  ];
}

function pages(): Rendered[] {
  return LOCALES.flatMap((locale) => [
    {
      name: 'unsubscribe question page',
      locale,
      html: unsubscribeConfirmPage(locale, 'someone@example.org', SAMPLE[locale].commemoration),
    },
    {
      name: 'unsubscribed page',
      locale,
      html: unsubscribedPage(locale, 'someone@example.org', SAMPLE[locale].commemoration),
    },
    { name: 'subscription confirm page', locale, html: confirmPage(locale, SAMPLE[locale].commemoration, 'abc') },
    { name: 'subscription confirmed page', locale, html: confirmedPage(locale, SAMPLE[locale].commemoration) },
  ]);
}

/** What a reader sees of one rendering: subject, text and the HTML's words. */
function readable(mail: Rendered): string[] {
  return [mail.subject, mail.text, mail.html === undefined ? undefined : decode(mail.html)].filter(
    (part): part is string => part !== undefined,
  );
}

function punctuationProblems(text: string): string[] {
  return ['..', ',,', ' .', ' ,', '. .', ',.', '.,'].filter((bad) =>
    text.split('\n').some((line) => line.includes(bad)),
  );
}

function englishWords(text: string, locale: Locale): string[] {
  const sample = SAMPLE[locale];
  const cleaned = [
    sample.person,
    sample.title,
    sample.commemoration,
    sample.venue,
    sample.address,
    sample.role,
    'someone@example.org',
  ]
    .reduce((out, name) => out.split(name).join(' '), text)
    .replace(/https?:\/\/\S+/g, ' ');
  return (cleaned.match(/\p{L}+/gu) ?? []).filter((word) => ENGLISH.has(word.toLowerCase()));
}

describe('every mail and page text in three languages', () => {
  const mails = allMails();
  const all = [...mails, ...pages()];

  it('should render every template of every kind in each language', () => {
    for (const locale of LOCALES)
      expect(mails.filter((mail) => mail.locale === locale).length).toBeGreaterThanOrEqual(17);
  });

  it('should write no doubled punctuation or space before punctuation', () => {
    const problems = all.flatMap((mail) =>
      readable(mail).flatMap((part) =>
        punctuationProblems(part).map((bad) => `${mail.name} (${mail.locale}): "${bad}"`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('should leave no English word in an az or ru text', () => {
    const problems = all
      .filter((mail) => mail.locale !== 'en')
      .flatMap((mail) =>
        readable(mail).flatMap((part) =>
          englishWords(part, mail.locale).map((word) => `${mail.name} (${mail.locale}): ${word}`),
        ),
      );
    expect(problems).toEqual([]);
  });

  it('should leave no template placeholder unreplaced', () => {
    const problems = all
      .filter((mail) => readable(mail).some((part) => /\{\{|\}\}|\{\w+\}/.test(part)))
      .map((mail) => `${mail.name} (${mail.locale})`);
    expect(problems).toEqual([]);
  });

  it('should give every mail a subject, a text part and an HTML part with the same words and the language on <html>', () => {
    for (const mail of mails) {
      expect({
        mail: mail.name,
        subject: Boolean(mail.subject?.trim()),
        text: Boolean(mail.text?.trim()),
        html: Boolean(mail.html?.trim()),
      }).toEqual({ mail: mail.name, subject: true, text: true, html: true });
      expect({ mail: mail.name, lang: /<html lang="(\w+)">/.exec(mail.html!)?.[1] }).toEqual({
        mail: mail.name,
        lang: mail.locale,
      });
      expect({ mail: mail.name, words: words(decode(mail.html!)) }).toEqual({
        mail: mail.name,
        words: words(mail.text!),
      });
    }
  });

  it('should keep the HTML sober: no images, no scripts, no colour but dark grey text', () => {
    for (const mail of mails.filter((one) => !one.name.startsWith('visit'))) {
      expect(mail.html).not.toMatch(/<img|<script|background/i);
      for (const colour of mail.html!.match(/#[0-9a-f]{3,6}\b/gi) ?? []) expect(colour).toBe('#333333');
    }
  });

  it('should escape every interpolated value in the HTML part', () => {
    const hostile = '<b>Leyla & "Co"</b>';
    const volunteer = renderVolunteerMail({
      kind: 'promoted',
      locale: 'az',
      name: hostile,
      edition: { title: hostile, date: '2027-02-26', timeZone: TIME_ZONE },
      assigned: [{ name: hostile, shiftStart: '09:00', shiftEnd: '12:00' }],
      waitlisted: [],
    });
    const subscription = confirmationMessage('ru', hostile, 'https://x.test/?a=1&b=<2>', 48);
    const reset = passwordResetMessage(hostile, hostile, 'https://x.test/?a=1&b=2', 60);
    for (const html of [volunteer.html, subscription.html, reset.html, mailHtml('en', [[hostile]])]) {
      expect(html).not.toContain('<b>');
      expect(html).toContain('&lt;b&gt;');
    }
    expect(subscription.html).toContain('href="https://x.test/?a=1&amp;b=%3C2%3E&amp;lang=ru"');
  });
});
