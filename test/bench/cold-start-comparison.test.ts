import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, PROJECT_ROOT } from '../../local/stack/local-stack.js';
import { esbuildFunctions, type EsbuildFunction } from '../../scripts/build/bundle-functions.js';
import { callsPerRun, dependencyMismatches, formatPairedRatio, formatSizeChange, functionsInBoth, judge, pairedRatio, ratio, sizeChange } from '../../bench/cold-start/comparison.js';
import { median } from '../../bench/lib/stats.js';
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

describe('paired ratios', () => {
  it('is the median of the rounds’ ratios, not the ratio of the medians', () => {
    // Rounds 4 and 5 are slow for both bundles and round 3 only for the first: round by round the first is
    // 1.1× the second in four rounds of five, while the medians (330 and 100) say 3.3×.
    const values = [110, 110, 330, 330, 330];
    const references = [100, 100, 100, 300, 300];
    expect(pairedRatio(values, references).value).toBeCloseTo(1.1, 10);
    expect(ratio(median(values), median(references))).toBeCloseTo(3.3, 10);
    expect(pairedRatio([110, 220, 330], [100, 200, 300])).toEqual({ value: expect.closeTo(1.1, 10), low: expect.closeTo(1.1, 10), high: expect.closeTo(1.1, 10) });
  });

  it('gives an interval that holds the median and narrows with more rounds', () => {
    const noisy = (rounds: number) => {
      const references = Array.from({ length: rounds }, (_, i) => 100 + ((i * 37) % 50));
      return { references, values: references.map((r, i) => r * (1.12 + (((i * 53) % 21) - 10) / 200)) };
    };
    const few = noisy(20);
    const many = noisy(200);
    const a = pairedRatio(few.values, few.references);
    const b = pairedRatio(many.values, many.references);
    for (const r of [a, b]) {
      expect(r.low).toBeLessThanOrEqual(r.value);
      expect(r.high).toBeGreaterThanOrEqual(r.value);
      expect(r.value).toBeCloseTo(1.12, 1);
    }
    expect(b.high - b.low).toBeLessThan(a.high - a.low);
  });

  it('gives the same interval for the same samples, and refuses rounds without both', () => {
    const values = [120, 131, 118, 140, 125, 119];
    const references = [100, 120, 101, 122, 110, 104];
    expect(pairedRatio(values, references)).toEqual(pairedRatio([...values], [...references]));
    expect(() => pairedRatio([1, 2], [1])).toThrow(/each round needs both/);
    expect(() => pairedRatio([], [])).toThrow(/each round needs both/);
  });

  it('judges a paired ratio by its median and shows its interval', () => {
    expect(formatPairedRatio({ value: 1.123, low: 1.091, high: 1.156 })).toBe('1.12× (95 % 1.09–1.16)');
    expect(judge([{ id: 'TokenFunction', ratio: { value: 1.149, low: 1.1, high: 1.2 } }], 1.15)).toEqual({ met: true, text: 'TokenFunction 1.15× (95 % 1.10–1.20)' });
    expect(judge([{ id: 'TokenFunction', ratio: { value: 1.151, low: 1.1, high: 1.2 } }], 1.15).met).toBe(false);
  });
});
