import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | Date | null | undefined;
}

/** RFC 4180 CSV with a header row; cells that a spreadsheet would run as a formula are neutralised. */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const cell = (value: ReturnType<CsvColumn<T>['value']>): string => {
    if (value === null || value === undefined) return '';
    const text = value instanceof Date ? value.toISOString() : String(value);
    return typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  };
  return stringify([columns.map((column) => column.header), ...rows.map((row) => columns.map((column) => cell(column.value(row))))], { record_delimiter: '\r\n' });
}

/** Sends CSV as a download. */
export function sendCsv(reply: FastifyReply, filename: string, body: string): string {
  void reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  return body;
}
