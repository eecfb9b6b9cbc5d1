/**
 * Preloaded into the app under test with BENCH_SQL_LOG=<file>: appends every SQL statement the
 * app sends (first line, 160 characters) to that file, to count round trips per request.
 */
import { appendFileSync } from 'node:fs';
import { Client } from 'pg';

const file = process.env.BENCH_SQL_LOG!;
const original = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
  this: Client,
  ...args: unknown[]
) {
  const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
  appendFileSync(file, `${text.replace(/\s+/g, ' ').slice(0, 160)}\n`);
  return original.apply(this, args);
};
