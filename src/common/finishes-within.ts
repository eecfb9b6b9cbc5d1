import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits for `work` at most `ms`: true when it finished in time. The deadline's timer is unref'd,
 * so once the work is done it does not keep a shutting-down process alive.
 */
export async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([work.then(() => true), delay(ms, false, { ref: false })]);
}
