/**
 * Preloaded into the app under test with BENCH_CPU_PROF=1: profiles the CPU from start and
 * writes a .cpuprofile (open in Chrome DevTools or speedscope) for each line the runner writes to
 * its standard input (not on a signal: Nest's shutdown hooks take them all).
 */
import { createInterface } from 'node:readline';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
createInterface({ input: process.stdin }).on('line', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    const file = `${process.env.BENCH_CPU_PROF_FILE ?? `app-${process.pid}`}.cpuprofile`;
    writeFileSync(file, JSON.stringify(result.profile));
    process.stderr.write(`cpu profile written to ${file}\n`);
    session.post('Profiler.start');
  });
});
