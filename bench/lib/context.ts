import type { BenchStack, StackServerInfo } from './bench-stack.js';
import type { ChildServer } from './child-server.js';
import type { BenchmarkReport } from './report.js';
import type { SamplingOptions } from './sampler.js';

/** What every benchmark is given by bench/run.ts. */
export interface BenchContext {
  /** Shorter warm-ups and fewer rounds: a smoke run, not numbers to quote. */
  quick: boolean;
  /** Length of each load (autocannon) measurement, in seconds. */
  durationSeconds: number;
  /** Set by --cpu-prof: the servers run in child processes write V8 CPU profiles here. */
  cpuProfileDir: string | undefined;
  /** Progress lines (stderr), so stdout stays the report. */
  progress: (line: string) => void;
  /** Reports of the benchmarks that already ran in this invocation (the cost model reads them). */
  earlier: ReadonlyMap<string, BenchmarkReport>;
  /** One local stack in this process, started on first use and stopped when the run ends. */
  inProcessStack(): Promise<BenchStack>;
  /** One local stack in a child process (for the HTTP benchmarks), started on first use and stopped when the run ends. */
  stackServer(): Promise<ChildServer<StackServerInfo>>;
}

/** In-process sampling budgets: the default run takes seconds per benchmark, --quick a fraction of that. */
export function samplingOptions(context: BenchContext, overrides: Partial<SamplingOptions> = {}): SamplingOptions {
  const defaults: SamplingOptions = context.quick
    ? { warmupMs: 300, callsPerRound: 25, minRounds: 10, maxRounds: 40, maxMs: 3_000, tolerance: 0.05 }
    : { warmupMs: 2_000, callsPerRound: 25, minRounds: 100, maxRounds: 1_000, maxMs: 25_000, tolerance: 0.005 };
  return { ...defaults, ...overrides };
}
