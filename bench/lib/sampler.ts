import { median, summarize, type Summary } from './stats.js';

/** One thing to time. `prepare` runs before each call, outside the timed region. */
export interface Candidate {
  name: string;
  call: (prepared: unknown) => unknown;
  prepare?: () => unknown;
}

export interface SamplingOptions {
  /** Spent calling each candidate before anything is recorded (JIT, connection pools, caches). */
  warmupMs: number;
  callsPerRound: number;
  minRounds: number;
  maxRounds: number;
  /** Budget for the recorded rounds, all candidates together. */
  maxMs: number;
  /** Stop once no candidate's median rate moved by more than this fraction over the last quarter of the rounds. */
  tolerance: number;
}

export interface CandidateResult {
  name: string;
  /** Per call, in milliseconds. */
  latencyMs: Summary;
  /** Calls per second, one sample per round (calls back to back on this thread). */
  rate: Summary;
  /** CPU time per call (process.cpuUsage, all threads), one sample per round; less disturbed than wall time by other load. */
  cpuMs: Summary;
  calls: number;
  rounds: number;
  /** The median rate had settled within `tolerance` when sampling stopped. */
  stable: boolean;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

async function callOnce(candidate: Candidate): Promise<number> {
  const prepared = candidate.prepare?.();
  const started = performance.now();
  const result = candidate.call(prepared);
  // Synchronous candidates are not awaited: an await would add a microtask turn to the floor.
  if (isThenable(result)) await result;
  return performance.now() - started;
}

/**
 * Times the candidates in interleaved rounds (A B C, B C A, C A B, …), so a machine that gets busier or
 * quieter during the run shifts every candidate alike and the ratios between them stay meaningful.
 */
export async function sampleInterleaved(candidates: readonly Candidate[], options: SamplingOptions): Promise<CandidateResult[]> {
  for (const candidate of candidates) {
    const until = performance.now() + options.warmupMs;
    while (performance.now() < until) await callOnce(candidate);
  }

  const latencies = candidates.map(() => [] as number[]);
  const rates = candidates.map(() => [] as number[]);
  const cpu = candidates.map(() => [] as number[]);
  const history = candidates.map(() => [] as number[]);
  const deadline = performance.now() + options.maxMs;
  let rounds = 0;
  let stable = false;

  while (rounds < options.maxRounds && (rounds < options.minRounds || performance.now() < deadline)) {
    for (let offset = 0; offset < candidates.length; offset++) {
      const index = (rounds + offset) % candidates.length;
      const candidate = candidates[index] as Candidate;
      let total = 0;
      const cpuBefore = process.cpuUsage();
      for (let call = 0; call < options.callsPerRound; call++) {
        const elapsed = await callOnce(candidate);
        total += elapsed;
        latencies[index]!.push(elapsed);
      }
      const { user, system } = process.cpuUsage(cpuBefore);
      cpu[index]!.push((user + system) / 1000 / options.callsPerRound);
      rates[index]!.push((options.callsPerRound * 1000) / total);
      history[index]!.push(median(rates[index]!));
    }
    rounds++;
    if (rounds >= options.minRounds) {
      const lookBack = Math.max(1, Math.floor(rounds / 4));
      stable = history.every((medians) => {
        const now = medians[medians.length - 1] as number;
        const then = medians[medians.length - 1 - lookBack] as number;
        return Math.abs(now - then) / now <= options.tolerance;
      });
      if (stable) break;
    }
  }

  return candidates.map((candidate, index) => ({
    name: candidate.name,
    latencyMs: summarize(latencies[index]!),
    rate: summarize(rates[index]!),
    cpuMs: summarize(cpu[index]!),
    calls: latencies[index]!.length,
    rounds,
    stable,
  }));
}
