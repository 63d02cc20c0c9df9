import autocannon, { type Result } from 'autocannon';

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

export function failuresOf(result: LoadResult): number {
  return result.errors + result.non2xx;
}
