import autocannon, { type Result } from 'autocannon';
import type { ChildServer, CpuTime } from './child-server.js';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Requests per second: the median and the mean over the run's one-second samples. */
  rps: { median: number; mean: number };
  /** Milliseconds. */
  latency: { p50: number; p99: number; max: number };
  total: number;
  ok: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  connections: number;
  durationSeconds: number;
}

export const CONNECTIONS = 50;

/** A fixed-duration closed-loop load with autocannon (`connections` requests in flight at all times). */
export async function runLoad(spec: LoadSpec, durationSeconds: number, connections = CONNECTIONS): Promise<LoadResult> {
  const result: Result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    ...(spec.headers ? { headers: spec.headers } : {}),
    ...(spec.body === undefined ? {} : { body: spec.body }),
    connections,
    duration: durationSeconds,
    timeout: 10,
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]));
  return {
    rps: { median: result.requests.p50, mean: result.requests.average },
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    total: Object.values(statusCodes).reduce((sum, count) => sum + count, 0),
    ok: result['2xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    connections,
    durationSeconds: result.duration,
  };
}

/**
 * runLoad against a server in a child process, with the CPU time that process (all its threads) spent per
 * answered request: what a request costs the machine, whichever core it ran on.
 */
export async function runLoadOn(server: Pick<ChildServer<unknown>, 'ask'>, spec: LoadSpec, durationSeconds: number): Promise<LoadResult & { cpuMsPerRequest: number }> {
  const before = await server.ask<CpuTime>('cpu');
  const result = await runLoad(spec, durationSeconds);
  const after = await server.ask<CpuTime>('cpu');
  const cpuMs = after.userMs + after.systemMs - before.userMs - before.systemMs;
  return { ...result, cpuMsPerRequest: cpuMs / Math.max(1, result.total) };
}

export function failuresOf(result: LoadResult): number {
  return result.errors + result.non2xx;
}
