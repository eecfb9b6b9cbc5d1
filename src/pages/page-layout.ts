import { LOCALES, Locale } from '../config/commemoration.config';
import { PAGE_TEXTS, PageTexts } from './texts';

/** The public pages and where they live; `lang` is carried as ?lang= on every link. */
export const PAGE_PATHS = {
  ceremony: '/p',
  visit: '/p/visit',
  volunteer: '/p/volunteer',
  visitManage: '/p/visit/manage',
  volunteerConfirm: '/p/volunteer/confirm',
  volunteerManage: '/p/volunteer/me',
  subscriptionConfirm: '/p/subscribe/confirm',
} as const;
export type PageName = keyof typeof PAGE_PATHS;

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

/** Tagged template that escapes every interpolated value unless it is already marked as HTML. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
type Interpolation = string | number | Html | null | undefined | false | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof Html) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return new Html(
    strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index]) : ''), ''),
  );
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));
}

export function pageUrl(page: PageName, locale: Locale): string {
  return `${PAGE_PATHS[page]}?lang=${locale}`;
}

export interface LayoutOptions {
  locale: Locale;
  page: PageName;
  title: string;
  siteName: string;
  body: Html;
  /** data-* attributes on <body> for the page script (ceremony id, time zone...). */
  data?: Record<string, string>;
  /** Pages reached by a private link are kept out of search engines and caches. */
  private?: boolean;
}

/** The texts the page script needs, embedded as JSON (not executed, so CSP does not object). */
function clientTexts(texts: PageTexts): string {
  return JSON.stringify(texts).replace(/</g, '\\u003c');
}

export function layout(options: LayoutOptions): string {
  const texts = PAGE_TEXTS[options.locale];
  const nav: Array<[PageName, string]> = [
    ['ceremony', texts.navCeremony],
    ['visit', texts.navVisit],
    ['volunteer', texts.navVolunteer],
  ];
  const data = Object.entries({ page: options.page, locale: options.locale, ...(options.data ?? {}) })
    .map(([key, value]) => ` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${escapeHtml(value)}"`)
    .join('');
  // The language switcher keeps the rest of the query (a private link's token) in the script; without it, the plain link is kept.
  const languages = LOCALES.map(
    (locale) =>
      html`<li><a class="lang-link" lang="${locale}" hreflang="${locale}" href="${pageUrl(options.page, locale)}"${new Html(locale === options.locale ? ' aria-current="true"' : '')}>${PAGE_TEXTS[locale].languageName}</a></li>`,
  );
  return `<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.private ? '<meta name="robots" content="noindex, nofollow">\n' : ''}<title>${escapeHtml(options.title)} · ${escapeHtml(options.siteName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/p/assets/pages.css">
<script src="/p/assets/pages.js" defer></script>
</head>
<body${data}>
<a class="skip-link" href="#main">${escapeHtml(texts.skipToContent)}</a>
<header class="site-header">
<div class="wrap">
<p class="site-name"><a href="${pageUrl('ceremony', options.locale)}">${escapeHtml(options.siteName)}</a></p>
<nav aria-label="${escapeHtml(texts.languageNav)}" class="languages"><ul>${render(languages)}</ul></nav>
<nav aria-label="${escapeHtml(options.siteName)}" class="main-nav"><ul>${render(
    nav.map(
      ([page, label]) =>
        html`<li><a href="${pageUrl(page, options.locale)}"${new Html(page === options.page ? ' aria-current="page"' : '')}>${label}</a></li>`,
    ),
  )}</ul></nav>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
<h1>${escapeHtml(options.title)}</h1>
${options.body.value}
</main>
<script type="application/json" id="page-texts">${clientTexts(texts)}</script>
</body>
</html>
`;
}
