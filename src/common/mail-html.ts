import type { Locale } from '../config/commemoration.config';
import { escapeHtml } from '../pages/page-layout';

/**
 * The HTML part of a transactional mail, built from the same paragraphs as its text part so both
 * say the same words. Sober on purpose: no images, no colour but a dark grey text; a line that is
 * one of `links` becomes a link to itself. Every line is escaped.
 */
export function mailHtml(
  locale: Locale,
  paragraphs: ReadonlyArray<ReadonlyArray<string>>,
  links: ReadonlyArray<string | null | undefined> = [],
): string {
  const isLink = new Set(links.filter((link): link is string => Boolean(link)));
  const line = (text: string) =>
    isLink.has(text) ? `<a href="${escapeHtml(text)}">${escapeHtml(text)}</a>` : escapeHtml(text);
  const body = paragraphs
    .filter((lines) => lines.length > 0)
    .map((lines) => `<p>${lines.map(line).join('<br>\n')}</p>`)
    .join('\n');
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;color:#333333;line-height:1.5">
${body}
</body>
</html>
`;
}

/** The plain-text part from the same paragraphs: lines joined, paragraphs separated by a blank line. */
export function mailText(paragraphs: ReadonlyArray<ReadonlyArray<string>>): string {
  return `${paragraphs
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** Splits lines with blank lines between them into paragraphs. */
export function paragraphsOf(lines: ReadonlyArray<string>): string[][] {
  const paragraphs: string[][] = [[]];
  for (const text of lines) {
    if (text === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1].push(text);
  }
  return paragraphs.filter((lines) => lines.length > 0);
}
