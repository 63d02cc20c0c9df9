// `npm run bench`: every benchmark beside its floor or its peers, measured in the same run on this machine.
//
//   npm run bench                          all of them (a few minutes)
//   npm run bench -- --only authorizer     one or more (repeat --only)
//   npm run bench -- --duration 20         seconds per load (autocannon) measurement; default 10
//   npm run bench -- --quick               short smoke run; its numbers are not worth quoting
//   npm run bench -- --cpu-prof            also CPU-profile the servers of the HTTP benchmarks (local stack, peer) and
//                                          summarise where their time went; for the in-process benchmarks run
//                                          node --cpu-prof --import tsx bench/run.ts --only <name>
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { authorizerWarm } from './authorizer-warm.js';
import { coldStart } from './cold-start.js';
import { costModel } from './cost-model.js';
import { startBenchStack, type BenchStack, type StackServerInfo } from './lib/bench-stack.js';
import { startChildServer, type ChildServer } from './lib/child-server.js';
import type { BenchContext } from './lib/context.js';
import { formatProfileSummary, summarizeProfiles } from './lib/cpu-profile.js';
import { describeMachine, finishMachine, formatMachine } from './lib/machine.js';
import { formatNotes, formatTable, formatTargets, type BenchmarkReport } from './lib/report.js';
import { protectedApi } from './protected-api.js';
import { tokenHandler } from './token-handler.js';
import { tokenHttp } from './token-http.js';

// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type Benchmark = (context: BenchContext) => Promise<BenchmarkReport>;

/** In the order they run; `needs` are run first (quietly included) when only the dependent one is asked for. */
const BENCHMARKS: { name: string; run: Benchmark; needs?: string[] }[] = [
  { name: 'authorizer', run: authorizerWarm },
  { name: 'token-handler', run: tokenHandler },
  { name: 'token-http', run: tokenHttp },
  { name: 'protected-api', run: protectedApi },
  { name: 'cold-start', run: coldStart },
  { name: 'cost', run: costModel, needs: ['authorizer', 'token-handler', 'cold-start'] },
];

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const USAGE = `Usage: npm run bench -- [--only <${BENCHMARKS.map(({ name }) => name).join('|')}>]... [--duration <seconds>] [--quick] [--cpu-prof]`;

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      duration: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const known = new Set(BENCHMARKS.map(({ name }) => name));
  const only = values.only ?? [];
  for (const name of only) if (!known.has(name)) throw new Error(`Unknown benchmark "${name}". ${USAGE}`);
  const durationSeconds = values.duration === undefined ? (values.quick ? 3 : 10) : Number(values.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds < 1) throw new Error(`--duration must be a number of seconds ≥ 1. ${USAGE}`);
  const selected = new Set(only.length > 0 ? only : known);
  for (const { name, needs = [] } of BENCHMARKS) if (selected.has(name)) for (const need of needs) selected.add(need);
  return { selected, durationSeconds, quick: values.quick, cpuProfile: values['cpu-prof'] };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  const progress = (line: string) => process.stderr.write(`· ${line}\n`);
  progress(formatMachine(machine).replaceAll('\n', '\n· '));

  const reports = new Map<string, BenchmarkReport>();
  const cpuProfileDir = options.cpuProfile ? join(RESULTS_DIR, `profiles-${machine.date.replaceAll(':', '-')}`) : undefined;
  let stack: Promise<BenchStack> | undefined;
  let server: Promise<ChildServer<StackServerInfo>> | undefined;
  const context: BenchContext = {
    quick: options.quick,
    durationSeconds: options.durationSeconds,
    cpuProfileDir,
    progress,
    earlier: reports,
    inProcessStack: () => {
      if (stack === undefined) progress('starting a local stack in this process (dynalite, KMS emulator)');
      stack ??= startBenchStack();
      return stack;
    },
    stackServer: () => {
      if (server === undefined) progress('starting a local stack in a child process (gateway, functions, dynalite, KMS emulator)');
      server ??= startChildServer<StackServerInfo>(new URL('./servers/local-stack-server.ts', import.meta.url), { cpuProfileDir });
      return server;
    },
  };
  const started = performance.now();
  try {
    for (const { name, run } of BENCHMARKS) {
      if (!options.selected.has(name)) continue;
      progress(`── ${name}`);
      reports.set(name, await run(context));
    }
  } finally {
    await (await server?.catch(() => undefined))?.stop();
    await (await stack?.catch(() => undefined))?.stop();
  }
  const finished = finishMachine(machine);
  const all = [...reports.values()];

  console.log(`\n${formatMachine(finished)}${options.quick ? '\n(--quick: smoke run, not numbers to quote)' : ''}\n`);
  console.log(formatTable(all));
  console.log(`\nTargets\n${formatTargets(all)}`);
  const notes = formatNotes(all);
  if (notes) console.log(`\nNotes\n${notes}`);
  const profiles = cpuProfileDir === undefined ? [] : await summarizeProfiles(cpuProfileDir);
  if (profiles.length > 0) console.log(`\nCPU profiles (servers of the HTTP benchmarks)\n${profiles.map(formatProfileSummary).join('\n')}`);

  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${finished.date.replaceAll(':', '-')}.json`);
  const elapsedSeconds = Math.round((performance.now() - started) / 1000);
  await writeFile(file, `${JSON.stringify({ machine: finished, options: { ...options, selected: [...options.selected] }, elapsedSeconds, reports: all, profiles }, null, 2)}\n`);
  console.log(`\nWrote ${relative(process.cwd(), file)} (${elapsedSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
