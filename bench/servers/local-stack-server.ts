// The local stack (gateway, function workers, dynalite, KMS emulator) in a process of its own, for the HTTP
// benchmarks. Besides serving, it counts what the per-token cost model needs: the AWS calls the emulators
// receive and, from the runtime's REPORT lines, each function's invocations, durations and log volume.
import { REPORT_LINE, type FunctionStats } from '../lib/function-stats.js';
import { startBenchStack } from '../lib/bench-stack.js';
import { reportStartFailure, serveParent } from '../lib/child-server.js';
import { countEmulatorCalls } from '../lib/emulator-calls.js';
import { summarize } from '../lib/stats.js';

const durations = new Map<string, number[]>();
const logBytes = new Map<string, number>();

function record(source: string, line: string): void {
  const report = REPORT_LINE.exec(line);
  if (report !== null) {
    const list = durations.get(source) ?? [];
    list.push(Number(report[1]));
    durations.set(source, list);
    return;
  }
  logBytes.set(source, (logBytes.get(source) ?? 0) + Buffer.byteLength(line) + 1);
}

try {
  const calls = countEmulatorCalls();
  const bench = await startBenchStack(record);
  const { info, demoClient } = bench.stack;
  serveParent(
    { ...info, demoClient },
    {
      reset: () => {
        calls.reset();
        durations.clear();
        logBytes.clear();
      },
      stats: (): FunctionStats => ({
        calls: calls.counts('unattributed'),
        functions: Object.fromEntries(
          [...durations].map(([name, list]) => [name, { invocations: list.length, durationMs: summarize(list), logBytes: logBytes.get(name) ?? 0 }]),
        ),
      }),
    },
    async () => {
      calls.stop();
      await bench.stop();
    },
  );
} catch (error) {
  reportStartFailure(error);
}
