import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_RUNS, FUZZ_SEED, fuzz, fuzzSeed } from './support/fuzz-runs.js';

describe('fuzz runs are reproducible', () => {
  it('generates the same cases on every run with the same seed', async () => {
    const runs: number[][] = [[], []];
    for (const cases of runs) {
      await fuzz('scopeClaim', fc.integer(), async (value) => {
        cases.push(value);
      });
    }
    expect(runs[0]).toHaveLength(FUZZ_RUNS.scopeClaim);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('names the seed to rerun a failure with, and keeps fast-check’s counterexample report', async () => {
    const failure = fuzz('scopeClaim', fc.integer({ min: 0, max: 1_000 }), async (value) => {
      expect(value).toBeLessThan(500);
    });
    await expect(failure).rejects.toThrow(`rerun with FC_SEED=${FUZZ_SEED} to reproduce`);
    await expect(failure).rejects.toThrow(/Counterexample: \[500\]/);
  });

  it('reads FC_SEED: a fixed default, an integer, or "random"; refuses anything else', () => {
    expect(fuzzSeed(undefined)).toBe(fuzzSeed(''));
    expect(fuzzSeed('42')).toBe(42);
    expect(fuzzSeed('-7')).toBe(-7);
    expect(Number.isSafeInteger(fuzzSeed('random'))).toBe(true);
    expect(() => fuzzSeed('0x1g')).toThrow('FC_SEED must be an integer or "random"');
  });
});
