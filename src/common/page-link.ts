import type { Locale } from '../config/commemoration.config';

/**
 * A private link with the recipient's language in it (`lang=`), so the page it opens speaks the
 * language of the mail that carried it, whatever the browser asks for.
 */
export function withLang(url: string, locale: Locale): string {
  const parsed = new URL(url);
  parsed.searchParams.set('lang', locale);
  return parsed.toString();
}
