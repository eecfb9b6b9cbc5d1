// Builds the staff console (console/ -> console/dist) with Vite when the output is missing or older
// than any of its sources, so `npm start` and `npm test` always serve a current console with no extra
// command. `--force` builds regardless. Then checks the JavaScript budget of the first load.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist');
const INDEX = join(OUT, 'index.html');
/** Initial JavaScript of the console, gzipped (the budget of the staff-console issue). */
export const BUDGET_BYTES = 250 * 1024;

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path)
      .filter((name) => name !== 'dist')
      .map((name) => newest(join(path, name))),
  );
}

function builtAt() {
  try {
    return statSync(INDEX).mtimeMs;
  } catch {
    return -1;
  }
}

/** Gzipped bytes of every script the index page loads at once (entry and module preloads). */
export function initialScriptBytes() {
  const html = readFileSync(INDEX, 'utf8');
  const scripts = [
    ...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/console\/([^"]+\.js)"/g),
  ].map((match) => match[1]);
  if (scripts.length === 0) throw new Error('The console index loads no script');
  return scripts.reduce((total, file) => total + gzipSync(readFileSync(join(OUT, file))).length, 0);
}

const force = process.argv.includes('--force');
if (force || builtAt() < newest(ROOT)) {
  // Always React's production build: Jest runs this with NODE_ENV=test, which Vite would honour.
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.mts'), logLevel: 'warn' });
}
const bytes = initialScriptBytes();
if (bytes > BUDGET_BYTES) {
  process.stderr.write(
    `The console's initial JavaScript is ${(bytes / 1024).toFixed(1)} KB gzipped, over the budget of ${BUDGET_BYTES / 1024} KB\n`,
  );
  process.exit(1);
}
