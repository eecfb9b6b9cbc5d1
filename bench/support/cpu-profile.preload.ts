/**
 * Preloaded into the app under test with BENCH_CPU_PROF=1: profiles the CPU from start and
 * writes a .cpuprofile (open in Chrome DevTools or speedscope) on SIGUSR2, as the process may
 * not get to exit normally.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    const file = `${process.env.BENCH_CPU_PROF_FILE ?? `app-${process.pid}`}.cpuprofile`;
    writeFileSync(file, JSON.stringify(result.profile));
    process.stderr.write(`cpu profile written to ${file}\n`);
    session.post('Profiler.start');
  });
});
