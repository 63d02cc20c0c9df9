import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

/** Calls per AWS operation (the X-Amz-Target header, e.g. "TrentService.Sign"), as the emulators received them. */
export type CallCounts = Record<string, number>;

/**
 * Counts the requests every HTTP server in this process receives, by AWS operation, so "one GetItem and one
 * Sign per token" is measured rather than assumed. Calls are attributed to whatever `attribute` names at
 * the moment they arrive (a benchmark sets it before each sequential call).
 */
export function countEmulatorCalls() {
  const counts = new Map<string, CallCounts>();
  let current = 'unattributed';
  const onRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string') return;
    const bucket = counts.get(current) ?? {};
    bucket[target] = (bucket[target] ?? 0) + 1;
    counts.set(current, bucket);
  };
  subscribe('http.server.request.start', onRequest);
  return {
    attribute(name: string): void {
      current = name;
    },
    counts(name: string): CallCounts {
      return { ...(counts.get(name) ?? {}) };
    },
    reset(): void {
      counts.clear();
    },
    stop(): void {
      unsubscribe('http.server.request.start', onRequest);
    },
  };
}

/** Calls of `operation` (the part after the dot) per unit of work. */
export function perUnit(counts: CallCounts, operation: string, units: number): number {
  const total = Object.entries(counts)
    .filter(([target]) => target.endsWith(`.${operation}`))
    .reduce((sum, [, count]) => sum + count, 0);
  return total / units;
}
