import type { CallCounts } from './emulator-calls.js';
import type { Summary } from './stats.js';

/** The local runtime's per-invocation platform line (local/runtime/function-runtime.ts), as Lambda writes it. */
export const REPORT_LINE = /^REPORT RequestId: \S+\tDuration: ([\d.]+) ms/;

/** What the local stack server counted since its last reset. */
export interface FunctionStats {
  /** AWS calls the emulators received, by X-Amz-Target. */
  calls: CallCounts;
  /** Per function logical id. */
  functions: Record<string, { invocations: number; durationMs: Summary; logBytes: number }>;
}
