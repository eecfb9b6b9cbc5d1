import { LOCALES, Locale } from '../../config/commemoration.config';

/**
 * The best of az, en and ru for an Accept-Language header (RFC 9110: q-values, `ru-RU` matches
 * `ru`, `q=0` refuses); English when nothing offered is acceptable.
 */
export function localeFromAcceptLanguage(header: string | string[] | undefined): Locale {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { locale: Locale; q: number; order: number } | null = null;
  value
    .split(',')
    .slice(0, 50)
    .forEach((part, order) => {
      const [tag, ...parameters] = part.trim().split(';');
      const language = tag.trim().toLowerCase().split('-')[0];
      if (!(LOCALES as readonly string[]).includes(language)) return;
      const qParameter = parameters.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('q='));
      const q = qParameter ? Number(qParameter.slice(2)) : 1;
      if (!Number.isFinite(q) || q <= 0 || q > 1) return;
      if (!best || q > best.q || (q === best.q && order < best.order)) best = { locale: language as Locale, q, order };
    });
  return (best as { locale: Locale } | null)?.locale ?? 'en';
}
