import { DateTime } from 'luxon';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | Date | null | undefined;
}

/** Byte order mark: spreadsheets read the file as UTF-8 (Cyrillic, ə ğ ı ö ş ü ç) only when it is there. */
export const UTF8_BOM = '\uFEFF';

/**
 * Text a spreadsheet would run as a formula: =, +, -, @, tab, CR or LF first, also after leading
 * white space or quotes, and their full-width forms (＝ ＋ － ＠), which some spreadsheets fold.
 */
const FORMULA_START = /^[\s\u3000"'\u2018\u2019\u201C\u201D\uFF02\uFF07]*[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A string cell made safe to open: a leading ' keeps a spreadsheet from evaluating it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * RFC 4180 CSV with a header row. Every cell holding a quote, comma, CR or LF is quoted (the
 * writer alone quotes only a whole CRLF, so a lone LF would split a row for other readers);
 * string cells that could start a formula are neutralised, numbers stay numbers.
 */
export function toCsv<T>(
  rows: readonly T[],
  columns: readonly CsvColumn<T>[],
  options: { header?: boolean } = {},
): string {
  const cell = (value: ReturnType<CsvColumn<T>['value']>): string => {
    if (value === null || value === undefined) return '';
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'string' ? neutraliseFormula(value) : String(value);
  };
  // `header: false` writes the further pages of an export read in keyset pages.
  const header = options.header === false ? [] : [columns.map((column) => column.header)];
  return stringify([...header, ...rows.map((row) => columns.map((column) => cell(column.value(row))))], {
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
  });
}

/** An instant written in a zone with its offset, e.g. 2027-02-26T11:00:00+04:00. */
export function zonedInstant(instant: Date | string | null | undefined, timeZone: string): string | null {
  if (instant === null || instant === undefined) return null;
  const date = instant instanceof Date ? instant : new Date(instant);
  return DateTime.fromJSDate(date, { zone: timeZone }).toISO({ suppressMilliseconds: true });
}

/** Two columns for one instant: `header` in the edition's zone with its offset, `header_utc` the UTC instant. */
export function instantColumns<T>(
  header: string,
  instant: (row: T) => Date | string | null | undefined,
  timeZone: string,
): CsvColumn<T>[] {
  return [
    { header, value: (row) => zonedInstant(instant(row), timeZone) },
    { header: `${header}_utc`, value: (row) => toUtc(instant(row)) },
  ];
}

function toUtc(instant: Date | string | null | undefined): string | null {
  if (instant === null || instant === undefined) return null;
  return (instant instanceof Date ? instant : new Date(instant)).toISOString();
}

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark (the default; `?bom=false` turns it off). */
  bom?: boolean;
}

/** Sends CSV as a download: the one place that sets the type, the file name and the byte order mark of every export. */
export function sendCsv(reply: FastifyReply, filename: string, body: string, options: CsvOptions = {}): string {
  void reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  return options.bom === false ? body : `${UTF8_BOM}${body}`;
}

/** A list route with ?format=csv: the CSV as a download, else the page as it is. */
export function csvOrPage<T>(
  reply: FastifyReply,
  filename: string,
  result: T | string,
  options: CsvOptions = {},
): T | string {
  return typeof result === 'string' ? sendCsv(reply, filename, result, options) : result;
}
