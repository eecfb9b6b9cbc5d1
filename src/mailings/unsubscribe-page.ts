import type { Locale } from '../config/commemoration.config';

const TEXTS: Record<Locale, { title: string; question: string; button: string; done: string; doneTitle: string }> = {
  az: {
    title: 'Abunəlikdən çıxmaq',
    question: '{email} ünvanına «{name}» məktublarının və xatırlatmalarının göndərilməsi dayandırılsın?',
    button: 'Abunəlikdən çıx',
    doneTitle: 'Abunəlikdən çıxdınız',
    done: '{email} ünvanına «{name}» tərəfindən daha məktub və xatırlatma göndərilməyəcək.',
  },
  en: {
    title: 'Unsubscribe',
    question: 'Stop sending mailings and reminders about “{name}” to {email}?',
    button: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    done: '{email} will receive no further mailings or reminders about “{name}”.',
  },
  ru: {
    title: 'Отписка',
    question: 'Больше не отправлять рассылки и напоминания «{name}» на адрес {email}?',
    button: 'Отписаться',
    doneTitle: 'Вы отписались',
    done: 'На адрес {email} больше не будут приходить рассылки и напоминания «{name}».',
  },
};

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => escapeHtml(values[key] ?? ''));
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; background: #fff; }
button { font: inherit; padding: 0.6rem 1.4rem; border: 2px solid #1a1a1a; background: #1a1a1a; color: #fff; border-radius: 4px; cursor: pointer; }
button:focus-visible { outline: 3px solid #005fcc; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The confirm page: one button that POSTs to the same URL (works without JavaScript). */
export function unsubscribeConfirmPage(locale: Locale, email: string, commemorationName: string): string {
  const text = TEXTS[locale];
  return page(
    locale,
    text.title,
    `<p>${fill(text.question, { email, name: commemorationName })}</p>\n<form method="post"><button type="submit">${escapeHtml(text.button)}</button></form>`,
  );
}

export function unsubscribedPage(locale: Locale, email: string, commemorationName: string): string {
  const text = TEXTS[locale];
  return page(locale, text.doneTitle, `<p role="status">${fill(text.done, { email, name: commemorationName })}</p>`);
}
