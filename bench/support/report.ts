import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes';

export interface Figure {
  id: string;
  name: string;
  metric: string;
  app: number | string;
  baseline?: number | string;
  ratio?: number;
  goal?: string;
  pass?: boolean;
  note?: string;
}

const format = (value: number | string | undefined): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
};
const verdict = (figure: Figure) => (figure.pass === undefined ? '' : figure.pass ? 'PASS' : 'FAIL');

export function printTable(figures: Figure[]): void {
  console.log('');
  console.table(
    figures.map((figure) => ({
      '#': figure.id,
      benchmark: figure.name,
      metric: figure.metric,
      app: format(figure.app),
      baseline: format(figure.baseline),
      ratio: figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}x`,
      goal: figure.goal ?? '',
      result: verdict(figure),
    })),
  );
  const missed = figures.filter((figure) => figure.pass === false);
  if (missed.length === 0) console.log('All goals met.');
  else
    console.log(
      `GOALS MISSED (${missed.length}): ${missed.map((figure) => `#${figure.id} ${figure.metric}`).join('; ')}. The run still exits 0; see the table.`,
    );
}

function git(command: string): string {
  try {
    return execSync(`git ${command}`, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** A `## ` section of the current document, kept across runs (the adapter figures come from another script). */
function keptSection(document: string, heading: string): string {
  const start = document.indexOf(heading);
  if (start < 0) return '';
  const next = document.indexOf('\n## ', start + heading.length);
  return document.slice(start, next < 0 ? undefined : next).trim();
}

export function writeReport(
  figures: Figure[],
  run: { totalSeconds: number; seconds: number; only: string[]; loadBefore: number },
): void {
  const file = join(ROOT, 'docs', 'PERFORMANCE.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const adapters = keptSection(previous, '## HTTP adapter');
  const improvements = readFileSync(join(ROOT, 'bench', 'improvements.md'), 'utf8').trim();
  const method = readFileSync(join(ROOT, 'bench', 'method.md'), 'utf8').trim();
  const dirty = git('status --porcelain -- src migrations bench') ? ' (with uncommitted changes)' : '';
  const cpu = cpus();
  const rows = figures.map(
    (figure) =>
      `| ${figure.id} | ${figure.name} | ${figure.metric} | ${format(figure.app)} | ${format(figure.baseline)} | ${figure.ratio === undefined ? '' : `${figure.ratio.toFixed(2)}x`} | ${figure.goal ?? ''} | ${verdict(figure)}${figure.note ? ` (${figure.note})` : ''} |`,
  );
  const text = `# Performance

You want to know how fast the service answers and sends mail, against a minimal baseline on the
same machine, how to reproduce the figures, and what still limits them. Figures from
\`npm run bench\` and \`npm run bench:adapters\`.

## Latest benchmark run

- Commit: \`${git('rev-parse --short HEAD')}\`${dirty}, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
- Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory, Node.js ${process.version}, ${process.platform}.
- Load phases of ${run.seconds} s; benchmarks run: ${run.only.join(', ')}; the whole run took ${Math.round(run.totalSeconds)} s.
- Load average (1 min) before the run: ${run.loadBefore.toFixed(2)}; after it: ${loadavg()[0].toFixed(2)} (the benchmark's own
  processes included). Absolute numbers vary from run to run on this shared machine (the mailing
  baseline by up to 2x); **the ratios against the baseline measured in the same run are what count.**

| # | benchmark | metric | app | baseline | ratio | goal | result |
| --- | --- | --- | ---: | ---: | ---: | --- | --- |
${rows.join('\n')}

${method}

${improvements}

${adapters}
`;
  writeFileSync(file, text);
}
