import { basename } from 'node:path';
import type { BenchmarkReport, Row, Target } from '../lib/report.js';
import type { Summary } from '../lib/stats.js';
import { packageBytes, type Bundled } from './bundles.js';
import { formatPairedRatio, formatSizeChange, judge, pairedRatio, ratio, sizeChange, type PairedRatio } from './comparison.js';

/**
 * today: the template's function; floor: its SDK floor; reference: the reference commit's build; metrics-off: today's
 * with Powertools Metrics disabled; primed-floor: the floor with its first KMS call started during init; source-maps-on: today's with SourceMapStackTraces=Enabled (NODE_OPTIONS=--enable-source-maps); tracing-on: today's in
 * the environment Lambda gives an actively traced function.
 */
export type VariantKind = 'today' | 'floor' | 'primed-floor' | 'reference' | 'metrics-off' | 'source-maps-on' | 'tracing-on' | 'hello-world';

export const METRICS_PACKAGE = '@aws-lambda-powertools/metrics';

const MAX_FLOOR_RATIO = 1.15;
const MAX_REFERENCE_RATIO = 0.75;
const MAX_HELLO_WORLD_RATIO = 2;
const MAX_BUNDLE_BYTES = 350_000;

export interface Measured {
  id: string;
  kind: VariantKind;
  of: string;
  bundled: Bundled;
  /** From process start (performance.timeOrigin) to the first invocation's answer, measured in the child: one per counted round, in round order. */
  totals: number[];
  total: Summary;
  import: Summary;
  invoke: Summary;
  /** spawn() to exit, measured here: includes starting node and the process teardown. */
  wall: Summary;
  emfRecordsPerRun: number;
  /** The AWS calls the emulators received per run, by operation. */
  calls: string;
}

interface ReportInput {
  results: Measured[];
  runs: number;
  warmup: number;
  referenceCommit: string;
  elapsedSeconds: number;
  measuringSeconds: number;
}

const mapBytes = (bundled: Bundled) => bundled.built.files.find((file) => file.path.endsWith('.map'))?.bytes ?? 0;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const signedMs = (value: number) => `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(0)} ms`;

export function coldStartReport({ results, runs, warmup, referenceCommit, elapsedSeconds, measuringSeconds }: ReportInput): BenchmarkReport {
  const hello = results.find(({ kind }) => kind === 'hello-world')!;
  const ours = results.filter(({ kind }) => kind === 'today');
  const find = (kind: VariantKind, of: string) => results.find((r) => r.kind === kind && r.of === of);
  const floorOf = (fn: Measured) => find('floor', fn.of)!;
  // Every ratio is taken round by round (comparison.ts, pairedRatio); the rows' medians are of all rounds.
  // Each pair is resampled once, though rows and targets both show it.
  const pairs = new Map<string, PairedRatio>();
  const paired = (a: Measured, b: Measured): PairedRatio => {
    const key = `${a.id}\n${b.id}`;
    let found = pairs.get(key);
    if (found === undefined) pairs.set(key, (found = pairedRatio(a.totals, b.totals)));
    return found;
  };

  const rows: Row[] = [];
  for (const fn of ours) {
    const floor = floorOf(fn);
    const old = find('reference', fn.of);
    const off = find('metrics-off', fn.of);
    const mapped = find('source-maps-on', fn.of);
    const primed = find('primed-floor', fn.of);
    const traced = find('tracing-on', fn.of);
    rows.push({
      name: `${fn.id}: process start → first answer`,
      unit: 'ms',
      median: fn.total.median,
      p99: fn.total.p99,
      ratio: { value: paired(fn, floor).value, against: 'floor' },
      note:
        `floor ${formatPairedRatio(paired(fn, floor))}, ratio of medians ${ratio(fn.total.median, floor.total.median).toFixed(2)}×; ` +
        `${paired(fn, hello).value.toFixed(2)}× hello-world` +
        (old === undefined ? '' : `, ${formatPairedRatio(paired(fn, old))} ${referenceCommit}`) +
        `; import ${ms(fn.import.median)} + first invoke ${ms(fn.invoke.median)}; spawn→exit ${ms(fn.wall.median)}; bundle ${kb(fn.bundled.handlerBytes)}; calls ${fn.calls}`,
    });
    rows.push({
      name: `  floor: its SDK clients and the same calls`,
      unit: 'ms',
      median: floor.total.median,
      p99: floor.total.p99,
      ratio: { value: paired(floor, hello).value, against: 'hello-world' },
      note: `import ${ms(floor.import.median)} + first invoke ${ms(floor.invoke.median)}; bundle ${kb(floor.bundled.handlerBytes)} (SDK ${kb(floor.bundled.sdkBytes)})`,
    });
    if (primed !== undefined) {
      rows.push({
        name: `  floor, GetPublicKey started during init (connection priming)`,
        unit: 'ms',
        median: primed.total.median,
        p99: primed.total.p99,
        ratio: { value: paired(primed, floor).value, against: 'floor' },
        note: `import ${ms(primed.import.median)} (${signedMs(primed.import.median - floor.import.median)}, billed as INIT) + first invoke ${ms(primed.invoke.median)} (${signedMs(primed.invoke.median - floor.invoke.median)}); calls ${primed.calls}`,
      });
    }
    if (old !== undefined) {
      rows.push({
        name: `  ${referenceCommit} build`,
        unit: 'ms',
        median: old.total.median,
        p99: old.total.p99,
        ratio: { value: paired(old, hello).value, against: 'hello-world' },
        note: `import ${ms(old.import.median)} + first invoke ${ms(old.invoke.median)}; bundle ${kb(old.bundled.handlerBytes)}, today ${formatSizeChange(sizeChange(fn.bundled.handlerBytes, old.bundled.handlerBytes))}; calls ${old.calls}`,
      });
    }
    if (off !== undefined) {
      rows.push({
        name: `  metrics off (POWERTOOLS_METRICS_DISABLED=true)`,
        unit: 'ms',
        median: off.total.median,
        p99: off.total.p99,
        ratio: { value: paired(fn, off).value, against: 'on ÷ off' },
        note:
          `metrics on − off: ${signedMs(fn.total.median - off.total.median)} (import ${signedMs(fn.import.median - off.import.median)}, first invoke ${signedMs(fn.invoke.median - off.invoke.median)}); ` +
          `EMF records per run on ${fn.emfRecordsPerRun}, off ${off.emfRecordsPerRun}; ${METRICS_PACKAGE} is ${kb(packageBytes(fn.bundled, METRICS_PACKAGE))} of the bundle either way`,
      });
    }
    if (mapped !== undefined) {
      rows.push({
        name: `  source maps on (SourceMapStackTraces=Enabled)`,
        unit: 'ms',
        median: mapped.total.median,
        p99: mapped.total.p99,
        ratio: { value: paired(mapped, fn).value, against: 'on ÷ off' },
        note: `--enable-source-maps costs ${signedMs(mapped.total.median - fn.total.median)} (import ${signedMs(mapped.import.median - fn.import.median)}, first invoke ${signedMs(mapped.invoke.median - fn.invoke.median)}); the map is ${kb(mapBytes(fn.bundled))}`,
      });
    }
    if (traced !== undefined) {
      rows.push({
        name: `  tracing on (Tracing=Active: Lambda's X-Ray environment)`,
        unit: 'ms',
        median: traced.total.median,
        p99: traced.total.p99,
        ratio: { value: paired(traced, fn).value, against: 'on ÷ off' },
        note: `${signedMs(traced.total.median - fn.total.median)} (import ${signedMs(traced.import.median - fn.import.median)}, first invoke ${signedMs(traced.invoke.median - fn.invoke.median)}); no X-Ray SDK in the bundle: the segments are Lambda's and API Gateway's, billed per trace, not in the function's time`,
      });
    }
  }
  rows.push({
    name: `${hello.id}: process start → first answer`,
    unit: 'ms',
    median: hello.total.median,
    p99: hello.total.p99,
    note: `import ${ms(hello.import.median)} + first invoke ${ms(hello.invoke.median)}; spawn→exit ${ms(hello.wall.median)}; bundle ${(hello.bundled.handlerBytes / 1000).toFixed(1)} KB`,
  });

  const overFloor = ours.map((fn) => ({ id: fn.id, ratio: paired(fn, floorOf(fn)) }));
  const compared = ours.filter((fn) => find('reference', fn.of) !== undefined);
  const overReference = compared.map((fn) => ({ id: fn.id, ratio: paired(fn, find('reference', fn.of)!) }));
  const overHello = ours.map((fn) => ({ id: fn.id, ratio: paired(fn, hello) }));
  const largest = ours.reduce((a, b) => (b.bundled.handlerBytes > a.bundled.handlerBytes ? b : a));
  const nestedClients = packageBytes(largest.bundled, '@aws-sdk/nested-clients');
  const floorJudged = judge(overFloor, MAX_FLOOR_RATIO);
  const referenceJudged = judge(overReference, MAX_REFERENCE_RATIO);
  const helloJudged = judge(overHello, MAX_HELLO_WORLD_RATIO);
  const targets: Target[] = [
    {
      description: `every function's cold start ≤ ${MAX_FLOOR_RATIO}× its SDK floor (the same clients and remote calls, nothing else)`,
      met: floorJudged.met,
      measured: floorJudged.text,
      explanation:
        'What each function adds over its floor, median import / first invoke: ' +
        ours.map((fn) => `${fn.id} ${signedMs(fn.import.median - floorOf(fn).import.median)} / ${signedMs(fn.invoke.median - floorOf(fn).invoke.median)}`).join(', ') +
        '. The import part is the code beyond the SDK (bundle minus floor bundle: ' +
        ours.map((fn) => `${fn.id} ${kb(fn.bundled.handlerBytes - floorOf(fn).bundled.handlerBytes)}`).join(', ') +
        '); the invoke part is the work around the same calls (middy, Powertools, validation, parsing, signing and verifying).',
    },
    {
      description: `every function's cold start ≤ ${MAX_REFERENCE_RATIO}× its ${referenceCommit} build (the functions both have)`,
      met: referenceJudged.met,
      measured: referenceJudged.text,
      explanation:
        // What the floor alone comes to against the old build: a function whose floor is near the bound cannot
        // meet it, whatever its own code (the authorizer's revocation read and DynamoDB client are new since then).
        `Each floor against ${referenceCommit}: ` +
        compared.map((fn) => `${fn.id} ${formatPairedRatio(paired(floorOf(fn), find('reference', fn.of)!))}`).join(', ') +
        `. Bundle size against ${referenceCommit}: ` +
        compared.map((fn) => `${fn.id} ${formatSizeChange(sizeChange(fn.bundled.handlerBytes, find('reference', fn.of)!.bundled.handlerBytes))}`).join(', ') +
        '.',
    },
    {
      description: `every function's cold start ≤ ${MAX_HELLO_WORLD_RATIO}× hello-world (process start → first answer)`,
      met: helloJudged.met,
      measured: helloJudged.text,
      explanation: `${MAX_HELLO_WORLD_RATIO}× hello-world is ${ms(MAX_HELLO_WORLD_RATIO * hello.total.median)} here; the floors alone take ${ours.map((fn) => ms(floorOf(fn).total.median)).join(', ')}.`,
    },
    {
      description: `every bundle ≤ ${MAX_BUNDLE_BYTES / 1000} KB minified`,
      met: ours.every(({ bundled }) => bundled.handlerBytes <= MAX_BUNDLE_BYTES),
      measured: ours.map(({ id, bundled }) => `${id} ${kb(bundled.handlerBytes)}`).join(', '),
      explanation:
        `Largest inputs of ${largest.id} (esbuild metafile): ${largest.bundled.packages.slice(0, 5).map((t) => `${t.name} ${kb(t.bytes)}`).join(', ')}. ` +
        `The AWS SDK (@aws-sdk/*, @smithy/*) is ${ours.map(({ id, bundled }) => `${kb(bundled.sdkBytes)} of ${id}`).join(', ')}: ` +
        `the clients the function calls and their protocol and signing code` +
        (nestedClients > 0 ? `, and the default credential chain (its nested STS/SSO clients alone ${kb(nestedClients)}).` : '.'),
    },
  ];
  const processes = results.length * (runs + warmup);
  return {
    id: 'cold-start',
    title: `5. Cold start (fresh node per run, bundles from scripts/build, ${runs} counted runs each)`,
    rows,
    targets,
    notes: [
      'Each run is a new `node` process with the function’s Lambda environment as the template gives it by default (NODE_OPTIONS turning source-mapped traces off, SourceMapStackTraces=Disabled); times are measured inside it from its own start (performance.timeOrigin), so spawning is excluded; spawn→exit is shown beside.',
      `Every bundle runs in one interleaved round robin, every other round in reverse order: ${warmup} warm-up round${warmup === 1 ? '' : 's'} not counted, then ${runs}. The first invocation makes its real remote calls to the local emulators; Lambda’s own runtime start-up is not included for either side.`,
      'Ratios are paired: in each round a bundle’s time over its reference’s time in the same round, and the median of those ratios, with a bootstrap 95 % interval. Processes started one after the other share the machine’s state of that moment, so pairing cancels what moves both; the ratio of the two medians is shown beside the floor ratio.',
      'Floor (bench/cold-start/floors/): the function’s SDK clients made by the same shared/aws modules (same settings) and the remote calls its first invocation makes, nothing else (no middy, Powertools or validation), built with the function’s own BuildProperties; the calls are counted at the emulators and must equal the function’s.',
      `${referenceCommit}: a temporary worktree of that commit, its functions bundled from its own template.yaml by today’s scripts/build, with this checkout’s node_modules (every dependency it pins checked installed at that version) and each function’s environment derived from its template as today’s; same stack and events.`,
      `Metrics off: the same bundle with POWERTOOLS_METRICS_DISABLED=true (Powertools’ own switch), so it compares recording and flushing the EMF record, not importing ${METRICS_PACKAGE}, which stays in the bundle.`,
      `The cold-start benchmark took ${elapsedSeconds.toFixed(0)} s: ${processes} processes in ${measuringSeconds.toFixed(0)} s, the rest bundling and setting up.`,
    ],
    details: {
      runs,
      warmup,
      elapsedSeconds,
      measured: Object.fromEntries(results.map(({ id, kind, totals, total, import: imported, invoke, wall, calls, emfRecordsPerRun }) => [id, { kind, total, import: imported, invoke, wall, calls, emfRecordsPerRun, totals }])),
      bundles: results
        .filter(({ kind }) => kind === 'today' || kind === 'floor' || kind === 'reference' || kind === 'hello-world')
        .map(({ id, bundled: { built, handlerBytes, sdkBytes, packages } }) => ({
          id,
          handlerBytes,
          sdkBytes,
          files: built.files.map((f) => ({ name: basename(f.path), bytes: f.bytes })),
          packages,
        })),
    },
  };
}
