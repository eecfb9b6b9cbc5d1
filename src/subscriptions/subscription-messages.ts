import type { Locale } from '../config/commemoration.config';
import { withLang } from '../common/page-link';
import { mailHtml, mailText } from '../common/mail-html';

const MESSAGES: Record<
  Locale,
  (name: string, link: string, hours: number) => { subject: string; paragraphs: string[][] }
> = {
  az: (name, link, hours) => ({
    subject: `${name}: abunəliyi təsdiq edin`,
    paragraphs: [
      ['Salam,'],
      [`Hər il ${name} ərəfəsində xatırlatma almaq üçün bu ünvan göstərilib. Təsdiq etmək üçün keçid:`],
      [link],
      [
        `Keçid ${hours} saat ərzində qüvvədədir. Bu müraciəti siz etməmisinizsə, məktubu nəzərə almayın: heç bir məktub göndərilməyəcək.`,
      ],
    ],
  }),
  ru: (name, link, hours) => ({
    subject: `${name}: подтвердите подписку`,
    paragraphs: [
      ['Здравствуйте,'],
      [
        `Этот адрес был указан, чтобы ежегодно получать напоминание о дне «${name}». Чтобы подтвердить подписку, откройте ссылку:`,
      ],
      [link],
      [
        `Ссылка действует ${hours} ч. Если вы не подписывались, просто проигнорируйте это письмо: больше писем не будет.`,
      ],
    ],
  }),
  en: (name, link, hours) => ({
    subject: `${name}: please confirm your subscription`,
    paragraphs: [
      ['Hello,'],
      [`This address was given to receive a reminder before ${name} every year. To confirm, open this link:`],
      [link],
      [
        `The link is valid for ${hours} hours. If you did not ask for this, please ignore this message; nothing more will be sent.`,
      ],
    ],
  }),
};

/** The double opt-in email, in the subscriber's language, as text and HTML. Sober wording: it is a day of mourning. */
export function confirmationMessage(
  locale: Locale,
  commemorationName: string,
  confirmUrl: string,
  expiryHours: number,
): { subject: string; text: string; html: string } {
  const link = withLang(confirmUrl, locale);
  const { subject, paragraphs } = MESSAGES[locale](commemorationName, link, expiryHours);
  return { subject, text: mailText(paragraphs), html: mailHtml(locale, paragraphs, [link]) };
}

const PAGE_TEXTS: Record<Locale, { title: string; button: string; done: string }> = {
  az: {
    title: 'Abunəliyi təsdiq edin',
    button: 'Təsdiq edirəm',
    done: 'Abunəlik təsdiqləndi. Hər il mərasim ərəfəsində xatırlatma alacaqsınız.',
  },
  en: {
    title: 'Confirm your subscription',
    button: 'Confirm',
    done: 'Your subscription is confirmed. You will receive a reminder before the day every year.',
  },
  ru: {
    title: 'Подтвердите подписку',
    button: 'Подтвердить',
    done: 'Подписка подтверждена. Каждый год перед днём памяти вы будете получать напоминание.',
  },
};

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.6rem 1.4rem;border:2px solid #1a1a1a;background:#1a1a1a;color:#fff;border-radius:4px}button:focus-visible{outline:3px solid #005fcc;outline-offset:2px}</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
}

/**
 * What the emailed link opens: one button that confirms (a POST), so a mail scanner that
 * fetches links does not subscribe anyone.
 */
export function confirmPage(locale: Locale, commemorationName: string, token: string): string {
  const text = PAGE_TEXTS[locale];
  return page(
    locale,
    `${commemorationName}: ${text.title}`,
    `<form method="post" action="/subscriptions/confirm?lang=${locale}"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">${escapeHtml(text.button)}</button></form>`,
  );
}

export function confirmedPage(locale: Locale, commemorationName: string): string {
  const text = PAGE_TEXTS[locale];
  return page(locale, commemorationName, `<p role="status">${escapeHtml(text.done)}</p>`);
}
