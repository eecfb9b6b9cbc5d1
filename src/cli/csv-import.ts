import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readFile, writeFile } from 'node:fs/promises';
import type { CliOutput } from './cli-output';

/** The file cannot be used at all (missing, unreadable, not CSV, wrong header): exit code 1. */
export class UnusableFileError extends Error {}

export interface CsvRow {
  /** Line of the file the row starts on (the header is line 1). */
  line: number;
  values: Record<string, string | undefined>;
  /** A problem with the row's shape, found before any rule is checked. */
  shapeError?: string;
}

export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

const normaliseHeader = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Reads a CSV file with a header row; column names are matched without regard to case, spaces or dashes. */
export async function readCsvRows(file: string, columns: CsvColumns): Promise<CsvRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UnusableFileError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let parsed: Array<{
    record: Record<string, string | undefined>;
    info: { lines: number; error?: unknown; columns: unknown[] };
  }>;
  try {
    parsed = parse(text, {
      columns: (header: string[]) => header.map(normaliseHeader),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    });
  } catch (error) {
    throw new UnusableFileError(`${file} is not a readable CSV file: ${(error as Error).message}`);
  }
  if (parsed.length === 0)
    throw new UnusableFileError(`${file} holds no rows (a header row and one row per line are expected)`);
  const header = (parsed[0].info.columns as Array<{ name: string }>).map((column) => column.name);
  const known = new Set([...columns.required, ...columns.optional]);
  const missing = columns.required.filter((name) => !header.includes(name));
  const unknown = header.filter((name) => !known.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      missing.length ? `missing column(s) ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    throw new UnusableFileError(
      `${file}: ${problems}. Expected a header row with ${columns.required.join(', ')} and optionally ${columns.optional.join(', ')}`,
    );
  }
  return parsed.map(({ record, info }) => {
    // info.lines is the line a row ends on; a quoted value may span lines.
    const spanned = Object.values(record).reduce((count, value) => count + (value?.split('\n').length ?? 1) - 1, 0);
    const row: CsvRow = { line: info.lines - spanned, values: record };
    if (info.error)
      row.shapeError = `has ${Object.keys(record).length === header.length ? 'more' : 'fewer'} fields than the header (${header.length})`;
    return row;
  });
}

export interface Rejection {
  line: number;
  /** What identifies the row to a person: its email. */
  label: string;
  reasons: string[];
}

/** What an import did: rows taken, rows refused with their line and reasons. */
export class ImportReport {
  imported = 0;
  readonly rejections: Rejection[] = [];

  constructor(readonly rows: number) {}

  reject(row: CsvRow, label: string | undefined, reasons: string[]): void {
    this.rejections.push({ line: row.line, label: label ?? '', reasons });
  }

  print(output: CliOutput, noun: string): void {
    output.line(`${this.imported} of ${this.rows} ${noun} imported; ${this.rejections.length} rejected.`);
    for (const rejection of this.rejections) {
      output.line(
        `  line ${rejection.line}${rejection.label ? ` (${rejection.label})` : ''}: ${rejection.reasons.join('; ')}`,
      );
    }
  }

  async write(file: string): Promise<void> {
    const records = this.rejections.map((rejection) => [rejection.line, rejection.label, rejection.reasons.join('; ')]);
    await writeFile(file, stringify([['line', 'email', 'reasons'], ...records]));
  }
}
