// Runs in a fresh `node` (no TypeScript loader): imports one bundled handler, invokes it once, and reports
// the times measured here, from this process's start (performance.timeOrigin), so spawning is left out.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const startedMs = performance.now();
const { handlerModule, exportName, event, context } = JSON.parse(process.env.BENCH_INVOCATION ?? '{}');
const imported = await import(pathToFileURL(handlerModule).href);
const importedMs = performance.now();
let result;
let error;
try {
  result = await imported[exportName](event, { ...context, getRemainingTimeInMillis: () => 10_000 });
} catch (caught) {
  error = caught instanceof Error ? caught.message : String(caught);
}
const invokedMs = performance.now();
process.stdout.write(`${JSON.stringify({ startedMs, importMs: importedMs - startedMs, invokeMs: invokedMs - importedMs, totalMs: invokedMs, result, error })}\n`);
// SDK clients keep sockets open; Lambda would freeze the environment here instead.
process.exit(0);
