import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, DEFAULT_TEMPLATE } from '../local/stack/local-stack.js';
import { esbuildFunctions } from '../scripts/build/bundle-functions.js';
import { bundle, packageBytes, type Bundled } from './cold-start/bundles.js';
import { callsPerRun } from './cold-start/comparison.js';
import { firstInvocationEvents, succeeded } from './cold-start/events.js';
import { builtLike, floorEntry } from './cold-start/floors.js';
import { firstInvocation, type Outcome } from './cold-start/fresh-process.js';
import { REFERENCE_COMMIT, withReferenceCheckout } from './cold-start/reference-build.js';
import { coldStartReport, METRICS_PACKAGE, type Measured, type VariantKind } from './cold-start/report.js';
import { stackFunctions } from './lib/bench-stack.js';
import type { BenchContext } from './lib/context.js';
import { countEmulatorCalls } from './lib/emulator-calls.js';
import type { BenchmarkReport } from './lib/report.js';
import { summarize } from './lib/stats.js';

const HELLO_WORLD = 'HelloWorld';
/**
 * What Lambda adds to an actively traced function's environment ("Using AWS Lambda environment variables":
 * _X_AMZN_TRACE_ID, AWS_XRAY_CONTEXT_MISSING, AWS_XRAY_DAEMON_ADDRESS). No X-Ray SDK is bundled; the AWS SDK
 * forwards the trace header on its calls and Powertools Logger adds the trace id to each line.
 */
const ACTIVE_TRACING_ENV = {
  _X_AMZN_TRACE_ID: 'Root=1-674c1f00-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1;Lineage=1:abcdef01:0',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
};
/** Connection priming, measured on the token function's floor: its KMS call started during init. */
const PRIMED_TOKEN_FLOOR = 'bench/cold-start/floors/token-primed-floor.ts';

/** One bundle in one environment, started fresh again and again. */
interface Variant {
  id: string;
  kind: VariantKind;
  /** The function whose event it is given (and whose floor, reference build or metrics switch it is). */
  of: string;
  bundled: Bundled;
  exportName: string;
  env: Record<string, string>;
}

/**
 * Rounds of every variant, after warm-up rounds that are not counted (file cache, JIT of this process, the emulators).
 * 30, not the 20 the targets ask at least: a cold start here varies by about 15 % from one process to the next, and
 * with 20 a ratio of two medians still moved by ±10 % between runs.
 */
const rounds = (quick: boolean) => (quick ? { warmup: 1, measured: 3 } : { warmup: 2, measured: 30 });

export async function coldStart(context: BenchContext): Promise<BenchmarkReport> {
  const started = performance.now();
  const { stack, template, functionEnv } = await context.inProcessStack();
  const outRoot = await mkdtemp(join(tmpdir(), 'oauth-cc-bench-bundles-'));
  try {
    const functions = await esbuildFunctions(DEFAULT_TEMPLATE);
    const token = functions.find((fn) => fn.logicalId === 'TokenFunction');
    if (token === undefined) throw new Error('template.yaml has no esbuild TokenFunction');
    const build = (fn: Parameters<typeof bundle>[0], name: string) => bundle(fn, join(outRoot, name));
    context.progress(`cold start: bundling ${functions.length} functions, their floors, hello-world and ${REFERENCE_COMMIT}'s functions with scripts/build`);

    const [today, floors, hello, primed, reference] = await Promise.all([
      Promise.all(functions.map((fn) => build(fn, fn.logicalId))),
      Promise.all(functions.map((fn) => build(builtLike(fn, `${fn.logicalId}Floor`, PROJECT_ROOT, floorEntry(fn)), `${fn.logicalId}Floor`))),
      build(builtLike(token, HELLO_WORLD, PROJECT_ROOT, 'bench/cold-start/hello-world.ts'), HELLO_WORLD),
      build(builtLike(token, 'TokenFunctionPrimedFloor', PROJECT_ROOT, PRIMED_TOKEN_FLOOR), 'TokenFunctionPrimedFloor'),
      // That commit's functions from its own template.yaml, built by today's scripts/build; the worktree is
      // needed only while bundling, and its functions' environment is derived from its template.
      withReferenceCheckout(PROJECT_ROOT, REFERENCE_COMMIT, async (checkout) => {
        const old = await stackFunctions(stack.info, checkout.templatePath);
        const shared = checkout.functions.filter((fn) => functions.some(({ logicalId }) => logicalId === fn.logicalId));
        return Promise.all(
          shared.map(async (fn) => ({
            bundled: await build(fn, `${fn.logicalId}@${REFERENCE_COMMIT}`),
            exportName: old.template.functions[fn.logicalId]?.handlerExport ?? 'handler',
            env: old.functionEnv(fn.logicalId),
          })),
        );
      }),
    ]);

    const variants: Variant[] = [];
    for (const [index, fn] of functions.entries()) {
      const id = fn.logicalId;
      const env = functionEnv(id);
      const exportName = template.functions[id]?.handlerExport ?? 'handler';
      const bundled = today[index]!;
      variants.push({ id, kind: 'today', of: id, bundled, exportName, env });
      variants.push({ id: `${id} floor`, kind: 'floor', of: id, bundled: floors[index]!, exportName: 'handler', env });
      if (id === 'TokenFunction') variants.push({ id: `${id} primed floor`, kind: 'primed-floor', of: id, bundled: primed, exportName: 'handler', env });
      const old = reference.find((built) => built.bundled.built.logicalId === id);
      if (old !== undefined) variants.push({ id: `${id} @${REFERENCE_COMMIT}`, kind: 'reference', of: id, ...old });
      // Powertools Metrics' own switch (POWERTOOLS_METRICS_DISABLED): the same bundle, nothing flushed.
      // The runtime flag SourceMapStackTraces=Enabled sets, and the environment Tracing=Active gives, on the two
      // functions on every request's path.
      if (id === 'TokenFunction' || id === 'AuthorizerFunction') {
        variants.push({ id: `${id} source maps on`, kind: 'source-maps-on', of: id, bundled, exportName, env: { ...env, NODE_OPTIONS: '--enable-source-maps' } });
        variants.push({ id: `${id} tracing on`, kind: 'tracing-on', of: id, bundled, exportName, env: { ...env, ...ACTIVE_TRACING_ENV } });
      }
      if (packageBytes(bundled, METRICS_PACKAGE) > 0) {
        variants.push({ id: `${id} metrics off`, kind: 'metrics-off', of: id, bundled, exportName, env: { ...env, POWERTOOLS_METRICS_DISABLED: 'true' } });
      }
    }
    variants.push({ id: HELLO_WORLD, kind: 'hello-world', of: HELLO_WORLD, bundled: hello, exportName: 'handler', env: functionEnv('DiscoveryFunction') });

    const events: Record<string, unknown> = { ...(await firstInvocationEvents(stack, template)), [HELLO_WORLD]: {} };
    const { warmup, measured: runs } = rounds(context.quick);
    context.progress(`cold start: ${variants.length} bundles × (${warmup} warm-up + ${runs} counted) fresh node processes, round robin`);
    const calls = countEmulatorCalls();
    const samples = new Map<string, Outcome[]>(variants.map(({ id }) => [id, []]));
    const measuringStarted = performance.now();
    try {
      for (let round = 0; round < warmup + runs; round++) {
        if (round === warmup) calls.reset();
        // Every other round runs backwards, so no bundle always starts right after the same neighbour.
        for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
          calls.attribute(variant.id);
          const outcome = await firstInvocation({ name: variant.id, handlerModule: variant.bundled.built.handlerModule, exportName: variant.exportName, event: events[variant.of], env: variant.env });
          const ok = variant.kind === 'floor' || variant.kind === 'primed-floor' || variant.kind === 'hello-world' ? (outcome.result as { statusCode?: number }).statusCode === 200 : succeeded(variant.of, outcome.result);
          if (!ok) throw new Error(`${variant.id}: first invocation did not succeed: ${JSON.stringify(outcome.result).slice(0, 300)}`);
          if (round >= warmup) samples.get(variant.id)!.push(outcome);
        }
      }
    } finally {
      calls.attribute('unattributed');
      calls.stop();
    }
    const measuringSeconds = (performance.now() - measuringStarted) / 1000;

    const results: Measured[] = variants.map((variant) => {
      const list = samples.get(variant.id)!;
      return {
        id: variant.id,
        kind: variant.kind,
        of: variant.of,
        bundled: variant.bundled,
        totals: list.map((s) => s.totalMs),
        total: summarize(list.map((s) => s.totalMs)),
        import: summarize(list.map((s) => s.importMs)),
        invoke: summarize(list.map((s) => s.invokeMs)),
        wall: summarize(list.map((s) => s.wallMs)),
        emfRecordsPerRun: list.reduce((sum, s) => sum + s.emfRecords, 0) / list.length,
        calls: callsPerRun(calls.counts(variant.id), runs),
      };
    });
    // A floor stands for its function only if it makes the calls the function was seen to make.
    for (const floor of results.filter(({ kind }) => kind === 'floor' || kind === 'primed-floor')) {
      const fn = results.find(({ id }) => id === floor.of)!;
      if (floor.calls !== fn.calls) throw new Error(`${floor.id} makes ${floor.calls} per first invocation, ${fn.of} ${fn.calls}: the floor must make the same remote calls`);
    }
    // The switch is what it claims only if the function records with it on and nothing with it off.
    for (const off of results.filter(({ kind }) => kind === 'metrics-off')) {
      const on = results.find(({ id }) => id === off.of)!;
      if (on.emfRecordsPerRun < 1 || off.emfRecordsPerRun !== 0) throw new Error(`${off.of}: ${on.emfRecordsPerRun} EMF records per run with metrics on, ${off.emfRecordsPerRun} off`);
    }
    return coldStartReport({
      results,
      runs,
      warmup,
      referenceCommit: REFERENCE_COMMIT,
      elapsedSeconds: (performance.now() - started) / 1000,
      measuringSeconds,
    });
  } finally {
    await rm(outRoot, { recursive: true, force: true });
  }
}
