import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { PROJECT_ROOT, DEFAULT_TEMPLATE } from '../local/stack/local-stack.js';
import { bundleFunction, esbuildFunctions, type BuiltFunction, type EsbuildFunction } from '../scripts/build/bundle-functions.js';
import { esbuildOptions } from '../scripts/build/esbuild-options.js';
import { eventSite, proxyEvent, tokenAuthorizerEvent } from '../scripts/events/gateway-events.js';
import type { BenchContext } from './lib/context.js';
import type { BenchmarkReport, Row, Target } from './lib/report.js';
import { summarize, type Summary } from './lib/stats.js';
import { basicCredentials, TOKEN_REQUEST_BODY } from './lib/token-request.js';

const RUNNER = fileURLToPath(new URL('./cold-start/first-invocation.mjs', import.meta.url));
const HELLO_WORLD = 'HelloWorld';
const MAX_BUNDLE_BYTES = 400_000;
const MAX_COLD_RATIO = 2;

interface FirstInvocation {
  startedMs: number;
  importMs: number;
  invokeMs: number;
  totalMs: number;
  result?: unknown;
  error?: string;
}

interface Measured {
  /** From process start (performance.timeOrigin) to the first invocation's answer, measured in the child. */
  total: Summary;
  import: Summary;
  invoke: Summary;
  /** spawn() to exit, measured here: includes starting node and the process teardown. */
  wall: Summary;
}

/** Bytes in the minified output per npm package (or "project sources" for ours), largest first. */
function bytesByPackage(metafile: Metafile, output: string): { name: string; bytes: number }[] {
  const inputs = metafile.outputs[output]?.inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match?.[1] ?? 'project sources';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The AWS SDK for JavaScript v3: its clients and libraries (@aws-sdk/*) and the Smithy runtime under them (@smithy/*). */
const isAwsSdk = (name: string) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/');

/** The bundle as `npm run build` makes it (scripts/build), plus an esbuild metafile of the same options. */
async function bundle(fn: EsbuildFunction, outRoot: string) {
  const outdir = join(outRoot, fn.logicalId);
  const built = await bundleFunction(fn, outdir);
  const { options } = esbuildOptions(fn, join(outRoot, `${fn.logicalId}-metafile`));
  const { metafile } = await build({ ...options, write: false, metafile: true });
  const output = Object.keys(metafile.outputs).find((path) => path.endsWith(basename(built.handlerModule)));
  const handlerBytes = built.files.find((file) => file.path === built.handlerModule)?.bytes ?? 0;
  const packages = output === undefined ? [] : bytesByPackage(metafile, output);
  const sdkBytes = packages.filter(({ name }) => isAwsSdk(name)).reduce((sum, { bytes }) => sum + bytes, 0);
  return { built, handlerBytes, sdkBytes, top: packages.slice(0, 5), packages };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;

function packageBytes(bundled: { packages: { name: string; bytes: number }[] }, name: string): number {
  return bundled.packages.find((p) => p.name === name)?.bytes ?? 0;
}

function firstInvocation(built: BuiltFunction, exportName: string, event: unknown, env: Record<string, string>): Promise<FirstInvocation & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const context = { functionName: built.logicalId, awsRequestId: randomUUID(), memoryLimitInMB: '512', callbackWaitsForEmptyEventLoop: true };
    const started = performance.now();
    const child = spawn(process.execPath, [RUNNER], {
      env: { ...env, BENCH_INVOCATION: JSON.stringify({ handlerModule: built.handlerModule, exportName, event, context }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const outcome = JSON.parse(last) as FirstInvocation;
        if (outcome.error !== undefined) throw new Error(outcome.error);
        resolve({ ...outcome, wallMs });
      } catch (error) {
        reject(new Error(`${built.logicalId}: cold start failed (exit ${code}): ${(error as Error).message}\n${stderr.slice(-2000)}`));
      }
    });
  });
}

function succeeded(logicalId: string, result: unknown): boolean {
  if (logicalId === 'AuthorizerFunction') return (result as { policyDocument?: { Statement?: { Effect?: string }[] } }).policyDocument?.Statement?.[0]?.Effect === 'Allow';
  return (result as { statusCode?: number }).statusCode === 200;
}

export async function coldStart(context: BenchContext): Promise<BenchmarkReport> {
  const { stack, template, functionEnv } = await context.inProcessStack();
  const outRoot = await mkdtemp(join(tmpdir(), 'oauth-cc-bench-bundles-'));
  try {
    const functions = await esbuildFunctions(DEFAULT_TEMPLATE);
    const token = functions.find((fn) => fn.logicalId === 'TokenFunction');
    if (token === undefined) throw new Error('template.yaml has no esbuild TokenFunction');
    // Built the same way: the same BuildProperties (format, minify, banner, target, source map), another entry.
    const helloWorld: EsbuildFunction = {
      logicalId: HELLO_WORLD,
      handler: 'hello-world.handler',
      codeDir: PROJECT_ROOT,
      buildProperties: { ...token.buildProperties, EntryPoints: ['bench/cold-start/hello-world.ts'] },
    };
    context.progress(`cold start: bundling ${functions.length} functions and hello-world with scripts/build`);
    const bundles = await Promise.all([...functions, helloWorld].map((fn) => bundle(fn, outRoot)));

    // Each first invocation reaches the same emulators the functions use locally.
    const site = eventSite(template, new URL(stack.info.apiUrl).host, new Date());
    const issued = await fetch(stack.info.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basicCredentials(stack.demoClient.clientId, stack.demoClient.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: TOKEN_REQUEST_BODY,
    });
    const { access_token: accessToken, scope } = (await issued.json()) as { access_token: string; scope: string };
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number };
    const events: Record<string, unknown> = {
      TokenFunction: proxyEvent(site, 'cold-token', {
        method: 'POST',
        path: '/oauth2/token',
        headers: [
          ['Authorization', basicCredentials(stack.demoClient.clientId, stack.demoClient.clientSecret)],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        body: TOKEN_REQUEST_BODY,
      }),
      AuthorizerFunction: tokenAuthorizerEvent(site, `Bearer ${accessToken}`, 'GET', '/products'),
      ProductsFunction: proxyEvent(site, 'cold-products', {
        method: 'GET',
        path: '/products',
        authorizer: { principalId: stack.demoClient.clientId, clientId: stack.demoClient.clientId, scope, jti: claims.jti, exp: String(claims.exp) },
      }),
      DiscoveryFunction: proxyEvent(site, 'cold-jwks', { method: 'GET', path: '/.well-known/jwks.json' }),
      [HELLO_WORLD]: {},
    };

    const runs = context.quick ? 3 : 12;
    context.progress(`cold start: ${runs} fresh node processes per function, round robin`);
    const samples = new Map<string, FirstInvocation[] & { wallMs?: number }[]>();
    const walls = new Map<string, number[]>();
    for (let run = 0; run < runs; run++) {
      for (const { built } of bundles) {
        const id = built.logicalId;
        const env = functionEnv(id === HELLO_WORLD ? 'DiscoveryFunction' : id);
        const exportName = id === HELLO_WORLD ? 'handler' : (template.functions[id]?.handlerExport ?? 'handler');
        const outcome = await firstInvocation(built, exportName, events[id], env);
        if (!succeeded(id, outcome.result)) throw new Error(`${id}: first invocation did not succeed: ${JSON.stringify(outcome.result).slice(0, 300)}`);
        samples.set(id, [...(samples.get(id) ?? []), outcome]);
        walls.set(id, [...(walls.get(id) ?? []), outcome.wallMs]);
      }
    }

    const measured = new Map<string, Measured>(
      [...samples].map(([id, list]) => [
        id,
        {
          total: summarize(list.map((s) => s.totalMs)),
          import: summarize(list.map((s) => s.importMs)),
          invoke: summarize(list.map((s) => s.invokeMs)),
          wall: summarize(walls.get(id) ?? []),
        },
      ]),
    );
    const hello = measured.get(HELLO_WORLD)!;
    const ours = bundles.filter(({ built }) => built.logicalId !== HELLO_WORLD);
    const rows: Row[] = bundles.map(({ built, handlerBytes }) => {
      const m = measured.get(built.logicalId)!;
      return {
        name: `${built.logicalId}: process start → first answer`,
        unit: 'ms',
        median: m.total.median,
        p99: m.total.p99,
        ...(built.logicalId === HELLO_WORLD ? {} : { ratio: { value: m.total.median / hello.total.median, against: 'hello-world' } }),
        note: `import ${m.import.median.toFixed(0)} ms + first invoke ${m.invoke.median.toFixed(0)} ms; spawn→exit ${m.wall.median.toFixed(0)} ms; bundle ${(handlerBytes / 1000).toFixed(1)} KB`,
      };
    });
    const ratios = ours.map(({ built }) => ({ id: built.logicalId, ratio: measured.get(built.logicalId)!.total.median / hello.total.median }));
    const largest = ours.reduce((a, b) => (b.handlerBytes > a.handlerBytes ? b : a));
    const imports = ours.map(({ built }) => measured.get(built.logicalId)!.import.median);
    const invokes = ours.map(({ built }) => measured.get(built.logicalId)!.invoke.median);
    const range = (values: number[]) => `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))} ms`;
    const targets: Target[] = [
      {
        description: `every function's cold start ≤ ${MAX_COLD_RATIO}× hello-world (process start → first answer)`,
        met: ratios.every(({ ratio }) => ratio <= MAX_COLD_RATIO),
        measured: ratios.map(({ id, ratio }) => `${id} ${ratio.toFixed(1)}×`).join(', '),
        explanation:
          `Importing the bundles (${Math.round(Math.min(...ours.map((b) => b.handlerBytes)) / 1000)}–${Math.round(largest.handlerBytes / 1000)} KB) takes ${range(imports)} of it ` +
          `(hello-world: ${hello.import.median.toFixed(0)} ms); the first invocation (SDK set-up and its remote calls to the emulators) ${range(invokes)}. ` +
          `${MAX_COLD_RATIO}× hello-world is ${Math.round(MAX_COLD_RATIO * hello.total.median)} ms here, so the import of an SDK client and the first remote calls cannot both fit in it.`,
      },
      {
        description: `every bundle ≤ ${MAX_BUNDLE_BYTES / 1000} KB minified`,
        met: ours.every(({ handlerBytes }) => handlerBytes <= MAX_BUNDLE_BYTES),
        measured: ours.map(({ built, handlerBytes }) => `${built.logicalId} ${(handlerBytes / 1000).toFixed(0)} KB`).join(', '),
        explanation:
          `Largest inputs of ${largest.built.logicalId} (esbuild metafile): ${largest.top.map((t) => `${t.name} ${kb(t.bytes)}`).join(', ')}. ` +
          `The AWS SDK (@aws-sdk/*, @smithy/*) is ${ours.map(({ built, sdkBytes }) => `${kb(sdkBytes)} of ${built.logicalId}`).join(', ')}: ` +
          `the clients the function calls, their protocol and signing code, and the default credential chain (its nested STS/SSO clients alone ${kb(packageBytes(largest, '@aws-sdk/nested-clients'))}).`,
      },
    ];
    return {
      id: 'cold-start',
      title: `5. Cold start (fresh node per run, bundles from scripts/build, ${runs} runs each)`,
      rows,
      targets,
      notes: [
        'Each run is a new `node` process with the function’s Lambda environment (NODE_OPTIONS=--enable-source-maps from the template included); times are measured inside it from its own start (performance.timeOrigin), so spawning is excluded; spawn→exit is shown beside.',
        'The first invocation makes its real remote calls (KMS GetPublicKey, DynamoDB, KMS Sign) to the local emulators; Lambda’s own runtime start-up is not included for either side.',
      ],
      details: {
        measured: Object.fromEntries(measured),
        bundles: bundles.map(({ built, handlerBytes, sdkBytes, packages }) => ({
          logicalId: built.logicalId,
          handlerBytes,
          sdkBytes,
          files: built.files.map((f) => ({ name: basename(f.path), bytes: f.bytes })),
          packages,
        })),
      },
    };
  } finally {
    await rm(outRoot, { recursive: true, force: true });
  }
}
