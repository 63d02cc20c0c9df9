import { describe, expect, it } from 'vitest';
import { extendedRequestId, traceId } from '../../local/gateway/request-ids.js';

describe('request ids', () => {
  it('gives API Gateway-shaped ids, all different, across many refills of the random pool', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const extended = Array.from({ length: 2_000 }, () => extendedRequestId());
    const traces = Array.from({ length: 2_000 }, () => traceId(now));
    for (const id of extended) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    for (const id of traces) expect(id).toMatch(/^Root=1-695735a5-[0-9a-f]{24}$/);
    expect(new Set(extended).size).toBe(extended.length);
    expect(new Set(traces).size).toBe(traces.length);
  });
});
