import { describe, expect, it } from 'vitest';
import { formatLoadReport, loadFailures, runLoad } from '../../scripts/load/load-driver.js';
import { createTestClient, testStack } from '../support/stack-clients.js';

/**
 * `npm run load` in miniature, in the test command: the same driver against the test stack, 50
 * connections for 3 seconds, one token request per ten protected calls. Nothing may fail, time out or
 * answer anything but the status its kind must have.
 */
const CONNECTIONS = 50;
const SECONDS = 3;
const CALLS_PER_TOKEN = 10;

describe('short load run', () => {
  it(`serves ${CONNECTIONS} connections for ${SECONDS} s with no error, no 5xx and no unexpected status`, async () => {
    const client = await createTestClient({ name: 'short load client', scopes: ['products:read'] });
    const report = await runLoad({ target: testStack(), client, connections: CONNECTIONS, durationSeconds: SECONDS, callsPerTokenRequest: CALLS_PER_TOKEN });
    const summary = formatLoadReport(report);
    console.log(summary);

    expect(loadFailures(report), summary).toEqual([]);
    expect(report.errors, summary).toBe(0);
    expect(report.timeouts, summary).toBe(0);
    expect(report.serverErrors, summary).toBe(0);
    expect(report.unexpected, summary).toEqual({});
    expect(Object.keys(report.statuses), summary).toEqual(['200']);
    // Both kinds of request ran, never more protected calls per token than configured. The lower bound is
    // loose on purpose: in 3 s on a busy machine many connections are still on their first cycle, which
    // starts with a token request, so the ratio only approaches CALLS_PER_TOKEN over a longer run.
    const { token, protected: calls } = report.requests.byKind;
    expect(token, summary).toBeGreaterThan(CONNECTIONS / 5);
    expect(calls / token, summary).toBeGreaterThan(2);
    expect(calls / token, summary).toBeLessThan(CALLS_PER_TOKEN * 1.2);
    expect(report.statuses['200'], summary).toBe(report.requests.total);
  }, 60_000);
});
