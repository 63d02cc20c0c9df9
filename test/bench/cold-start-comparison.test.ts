import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, PROJECT_ROOT } from '../../local/stack/local-stack.js';
import { esbuildFunctions, type EsbuildFunction } from '../../scripts/build/bundle-functions.js';
import { callsPerRun, dependencyMismatches, formatSizeChange, functionsInBoth, judge, sizeChange } from '../../bench/cold-start/comparison.js';
import { builtLike, floorEntry } from '../../bench/cold-start/floors.js';
import { REFERENCE_COMMIT } from '../../bench/cold-start/reference-build.js';

const git = async (...args: string[]) => (await promisify(execFile)('git', ['-C', PROJECT_ROOT, ...args])).stdout;

let today: EsbuildFunction[];
let reference: EsbuildFunction[];
let referenceDir: string;

beforeAll(async () => {
  today = await esbuildFunctions(DEFAULT_TEMPLATE);
  // The reference commit's own template, read as the benchmark reads it (its CodeUri resolved there).
  referenceDir = await mkdtemp(join(tmpdir(), 'oauth-cc-reference-template-'));
  await writeFile(join(referenceDir, 'template.yaml'), await git('show', `${REFERENCE_COMMIT}:template.yaml`));
  reference = await esbuildFunctions(join(referenceDir, 'template.yaml'));
});

afterAll(async () => {
  if (referenceDir) await rm(referenceDir, { recursive: true, force: true });
});

describe('the reference build', () => {
  it(`compares the functions today's template and ${REFERENCE_COMMIT}'s both build with esbuild, in today's order`, () => {
    expect(functionsInBoth(today, reference)).toEqual(['TokenFunction', 'AuthorizerFunction', 'ProductsFunction', 'DiscoveryFunction']);
    expect(functionsInBoth(today, today)).toEqual(today.map(({ logicalId }) => logicalId));
  });

  it(`finds every dependency ${REFERENCE_COMMIT} pins installed here at that version, so its node_modules can be this checkout's`, async () => {
    const { dependencies } = JSON.parse(await git('show', `${REFERENCE_COMMIT}:package.json`)) as { dependencies: Record<string, string> };
    const installed = Object.fromEntries(
      await Promise.all(
        Object.keys(dependencies).map(async (name) => [name, (JSON.parse(await readFile(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version]),
      ),
    ) as Record<string, string>;
    expect(dependencyMismatches(dependencies, installed)).toEqual([]);
  });

  it('names each dependency that is missing or installed at another version', async () => {
    const { dependencies } = JSON.parse(await git('show', `${REFERENCE_COMMIT}:package.json`)) as { dependencies: Record<string, string> };
    const installed: Record<string, string | undefined> = { ...dependencies, '@middy/core': '6.0.0', jose: undefined };
    expect(dependencyMismatches(dependencies, installed)).toEqual([`@middy/core@${dependencies['@middy/core']} (installed: 6.0.0)`, `jose@${dependencies.jose} (installed: none)`]);
  });
});

describe('floors', () => {
  it('has a floor entry for every esbuild function of template.yaml', () => {
    expect(today.map(floorEntry)).toEqual(today.map(({ buildProperties }) => (buildProperties.EntryPoints as string[])[0]!.replace(/^functions\/(.+)\/handler\.ts$/, 'bench/cold-start/floors/$1-floor.ts')));
    for (const fn of today) expect(() => builtLike(fn, `${fn.logicalId}Floor`, PROJECT_ROOT, floorEntry(fn))).not.toThrow();
  });

  it('builds a floor with exactly the function’s BuildProperties but for EntryPoints', () => {
    const token = today.find(({ logicalId }) => logicalId === 'TokenFunction')!;
    const floor = builtLike(token, 'TokenFunctionFloor', PROJECT_ROOT, floorEntry(token));
    const { EntryPoints, ...rest } = floor.buildProperties;
    const { EntryPoints: _, ...tokens } = token.buildProperties;
    expect(EntryPoints).toEqual(['bench/cold-start/floors/token-floor.ts']);
    expect(rest).toEqual(tokens);
    expect(floor.handler).toBe('token-floor.handler');
  });

  it('refuses an entry that is not under functions/<name>/ or does not exist', () => {
    const token = today.find(({ logicalId }) => logicalId === 'TokenFunction')!;
    expect(() => floorEntry({ ...token, buildProperties: { ...token.buildProperties, EntryPoints: ['src/handler.ts'] } })).toThrow(/has no floor/);
    expect(() => builtLike(token, 'Missing', PROJECT_ROOT, 'bench/cold-start/floors/missing-floor.ts')).toThrow(/does not exist/);
  });
});

describe('the report’s arithmetic', () => {
  it('shows a bundle size change in KB and per cent of the reference, either way', () => {
    expect(sizeChange(472_030, 446_230)).toEqual({ bytes: 25_800, percent: (25_800 / 446_230) * 100 });
    expect(formatSizeChange(sizeChange(472_030, 446_230))).toBe('+25.8 KB (+5.8%)');
    expect(formatSizeChange(sizeChange(350_000, 400_000))).toBe('−50.0 KB (−12.5%)');
  });

  it('meets a ratio target only when every ratio is at or under it', () => {
    expect(judge([{ id: 'TokenFunction', ratio: 1.15 }, { id: 'AuthorizerFunction', ratio: 1.02 }], 1.15)).toEqual({ met: true, text: 'TokenFunction 1.15×, AuthorizerFunction 1.02×' });
    expect(judge([{ id: 'TokenFunction', ratio: 1.151 }], 1.15).met).toBe(false);
  });

  it('counts the emulators’ calls per run by operation, whatever the service', () => {
    const counts = { 'DynamoDB_20120810.GetItem': 20, 'TrentService.GetPublicKey': 20, 'TrentService.Sign': 20 };
    expect(callsPerRun(counts, 20)).toBe('GetItem 1, GetPublicKey 1, Sign 1');
    expect(callsPerRun({ 'TrentService.GetPublicKey': 3 }, 2)).toBe('GetPublicKey 1.5');
    expect(callsPerRun({}, 20)).toBe('none');
  });
});
