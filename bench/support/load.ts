import autocannon from 'autocannon';
import { cpuMsOf } from './processes';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU time of the server process per request, ms (less noisy than req/s on a shared machine), the settling included. */
  cpuMsPerRequest: number;
  /** How long `settle` took after the load ended (ms); 0 without one. */
  settleMs: number;
  /**
   * Requests per second with the work they left behind counted: requests ÷ (load + settle). What
   * the server sustains when the load does not stop, where `rps` only counts the answers.
   */
  completedRps: number;
}

let sequence = 0;
/** Unique per request across the whole run, so no two requests collide on a unique key. */
export const nextEmail = (prefix: string) => `${prefix}-${process.pid}-${(sequence += 1)}@bench.example.org`;

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  /** Builds the body of each request (called once per request). */
  body?: () => unknown;
  connections?: number;
  /**
   * Requests per second per connection (autocannon `connectionRate`): each connection sends one,
   * waits for its answer, then for the next tick of its one-second timer, so every connection
   * starts at the same instant and they stay in step. Without it each connection sends its next
   * request as soon as an answer arrives (a closed loop without pause: the server's capacity).
   */
  perConnectionRate?: number;
  /** Extra request headers (e.g. a staff token). */
  headers?: Record<string, string>;
  seconds: number;
  /** The server process, to measure its CPU time. */
  pid: number;
  /** Work the server still owes once the load ends (e.g. the mails its outbox holds): awaited, timed, and its CPU counted. */
  settle?: () => Promise<void>;
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const cpuBefore = cpuMsOf(spec.pid);
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections ?? 64,
    duration: spec.seconds,
    method: spec.method ?? 'GET',
    ...(spec.perConnectionRate
      ? {
          connectionRate: spec.perConnectionRate,
          // Each latency as measured: autocannon's correction for a paced load assumes an interval
          // of 1/rate ms (not s) and would add made-up samples.
          ignoreCoordinatedOmission: true,
        }
      : {}),
    headers: { 'content-type': 'application/json', ...(spec.headers ?? {}) },
    requests: spec.body
      ? [
          {
            setupRequest: (request) => ({ ...request, body: JSON.stringify(spec.body!()) }),
          },
        ]
      : undefined,
  });
  const settleStarted = Date.now();
  await spec.settle?.();
  const settleMs = spec.settle ? Date.now() - settleStarted : 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMsPerRequest: (cpuMsOf(spec.pid) - cpuBefore) / Math.max(1, result.requests.total),
    settleMs,
    completedRps: result.requests.total / (result.duration + settleMs / 1000),
  };
}
