import { vi } from 'vitest';
import type { TestStack } from '../../support/test-stack.js';

/**
 * The environment Lambda gives a function, pointed at the test stack's tables and keys but with each AWS
 * endpoint where the test wants it (a fault proxy, a black hole, a closed port). The functions read
 * endpoints only through the SDK's standard AWS_ENDPOINT_URL_* settings, so nothing in them is replaced.
 */
export function stubFunctionEnv(stack: TestStack, variables: Record<string, string>): void {
  vi.stubEnv('AWS_REGION', stack.region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_DEV', '');
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

/** A fresh module graph is a cold start: new SDK clients from the current environment, nothing memoised. */
export async function coldStart<T>(load: () => Promise<{ handler: unknown }>): Promise<T> {
  vi.resetModules();
  return (await load()).handler as T;
}

/** Milliseconds `work` took, and what it returned. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/**
 * With the SDK settings in shared/aws/sdk-limits.ts (2 attempts, 2.5 s response timeout) a call to an
 * endpoint that never answers ends after about 5 s — inside the functions' 10 s Lambda timeout, with
 * room for the rest of the request. At least one full response timeout must have passed, or the call did
 * not really wait on the dependency.
 */
export const HANG_BOUNDS = { atLeastMs: 2_400, underMs: 8_000 };

/** SDK error names and socket codes that must never reach a client. */
export const INTERNALS = /Exception|ECONN|ETIMEDOUT|TimeoutError|socket|127\.0\.0\.1|\bat \S+ \(|arn:aws/;
