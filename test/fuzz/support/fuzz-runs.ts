import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * How many generated cases each property runs. The whole fuzz suite runs FUZZ_TOTAL cases per
 * `vitest run` (over 10 000), each through a real handler in process, in well under a minute.
 */
export const FUZZ_RUNS = {
  basicHeaderEncodings: 1500,
  basicHeaderJunk: 1500,
  formBodyModel: 1500,
  formBodyJunk: 1000,
  scopeParameter: 1000,
  tokenEventShapes: 800,
  bearerHeaderJunk: 800,
  bearerTokenMutations: 800,
  accessTokenClaims: 600,
  scopeClaim: 200,
  productInput: 1200,
  pageCursor: 1000,
  scopeInContext: 500,
  productsEventShapes: 800,
} as const;

export const FUZZ_TOTAL = Object.values(FUZZ_RUNS).reduce((sum, runs) => sum + runs, 0);

/**
 * Every run generates the same cases, so a failure in CI is the same failure on a laptop. FC_SEED picks
 * other cases (an integer, or `random` for a fresh seed each run); a failure names the seed to rerun it with.
 */
export const FUZZ_SEED = fuzzSeed(process.env.FC_SEED);

export function fuzzSeed(setting: string | undefined): number {
  if (setting === undefined || setting.trim() === '') return 20_240_601;
  if (setting.trim() === 'random') return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const seed = Number(setting);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not "${setting}"`);
  return seed;
}

/**
 * Runs an async property exactly FUZZ_RUNS[name] times and checks it really did: a property that stops
 * early (or a budget quietly lowered to 0) fails instead of passing on nothing.
 */
export async function fuzz<T>(name: keyof typeof FUZZ_RUNS, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>): Promise<void> {
  const numRuns = FUZZ_RUNS[name];
  let ran = 0;
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        ran += 1;
        await predicate(value);
      }),
      // verbose 1: the report lists the counterexample and every shrinking step's failure.
      { numRuns, seed: FUZZ_SEED, verbose: 1 },
    );
  } catch (error) {
    const report = error instanceof Error ? error.message : String(error);
    throw new Error(`fuzz property "${name}" failed; rerun with FC_SEED=${FUZZ_SEED} to reproduce\n${report}`, { cause: error });
  }
  expect(ran).toBe(numRuns);
}
