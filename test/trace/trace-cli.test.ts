import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, PROJECT_ROOT } from '../../local/stack/local-stack.js';
import { bundleFunction, esbuildFunctions } from '../../scripts/build/bundle-functions.js';
import { runTraceCli } from '../../scripts/trace/run.js';

/**
 * With SourceMapStackTraces=Disabled a function logs minified traces. Bundled here exactly as the token
 * function is (its BuildProperties, another entry), run in a fresh node without --enable-source-maps, and
 * its trace mapped back with the map the build wrote.
 */
let outDir: string;
let minifiedStack: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'oauth-cc-trace-'));
  const token = (await esbuildFunctions(DEFAULT_TEMPLATE)).find((fn) => fn.logicalId === 'TokenFunction')!;
  const built = await bundleFunction(
    { logicalId: 'FailsOnPurpose', handler: 'fails-on-purpose.handler', codeDir: PROJECT_ROOT, buildProperties: { ...token.buildProperties, EntryPoints: ['test/trace/fixtures/fails-on-purpose.ts'] } },
    join(outDir, 'FailsOnPurpose'),
  );
  const runner = `const { handler } = await import(${JSON.stringify(pathToFileURL(built.handlerModule).href)}); await handler({ amount: 'ten' }).catch((error) => console.log(error.stack));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', runner], { env: { PATH: process.env.PATH ?? '' } });
  minifiedStack = stdout;
}, 60_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), readStdin: async () => stdin }, out, err };
}

describe('npm run trace', () => {
  it('is given a minified trace by a bundle running without source maps', () => {
    expect(minifiedStack).toMatch(/RangeError: not an amount: ten\n\s+at .*fails-on-purpose\.mjs:\d+:\d+/);
    expect(minifiedStack).not.toContain('fails-on-purpose.ts');
  });

  it('maps the trace to the TypeScript line that threw', async () => {
    const { io: cli, out } = io(minifiedStack);
    const code = await runTraceCli([join(outDir, 'FailsOnPurpose', 'fails-on-purpose.mjs.map')], cli, { projectRoot: PROJECT_ROOT });
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/at .*test\/trace\/fixtures\/fails-on-purpose\.ts:4:\d+/);
  });

  it('maps a trace inside a JSON log line, as Powertools Logger writes it, and keeps the line JSON', async () => {
    const logLine = JSON.stringify({ level: 'ERROR', message: 'Unexpected error', error: { name: 'RangeError', stack: minifiedStack.trim() } });
    const file = join(outDir, 'log-line.json');
    await writeFile(file, logLine);
    const { io: cli, out } = io();
    expect(await runTraceCli([join(outDir, 'FailsOnPurpose', 'fails-on-purpose.mjs.map'), file], cli, { projectRoot: PROJECT_ROOT })).toBe(0);
    const mapped = JSON.parse(out.join('')) as { error: { stack: string } };
    expect(mapped.error.stack).toMatch(/test\/trace\/fixtures\/fails-on-purpose\.ts:4:\d+/);
  });

  it('says how to get a map when there is none, and says so when nothing in the text was mapped', async () => {
    const missing = io();
    expect(await runTraceCli(['NoSuchFunction'], missing.io, { projectRoot: outDir })).toBe(2);
    expect(missing.err.join('')).toMatch(/no source map for NoSuchFunction: run `sam build` or `npm run build`/);
    const nothing = io('Error: boom\n    at elsewhere.js:1:1\n');
    expect(await runTraceCli([join(outDir, 'FailsOnPurpose', 'fails-on-purpose.mjs.map')], nothing.io, { projectRoot: PROJECT_ROOT })).toBe(0);
    expect(nothing.err.join('')).toMatch(/no fails-on-purpose\.mjs positions were mapped/);
  });
});
