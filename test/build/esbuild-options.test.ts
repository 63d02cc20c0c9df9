import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esbuildFunctions } from '../../scripts/build/bundle-functions.js';
import { BuildPropertiesError, esbuildOptions } from '../../scripts/build/esbuild-options.js';
import { PROJECT_ROOT } from '../invoke/script-process.js';

const spec = (buildProperties: Record<string, unknown>) => ({ logicalId: 'Fn', codeDir: '/src', buildProperties });

describe('BuildProperties → esbuild, as SAM CLI maps them', () => {
  it('always bundles for node into the artifacts directory, with SAM\'s defaults for what is left out', () => {
    const { options, ignoredKeys } = esbuildOptions(spec({ EntryPoints: ['app.ts'] }), '/out/Fn');
    expect(options).toMatchObject({
      absWorkingDir: '/src',
      entryPoints: ['app.ts'],
      bundle: true,
      platform: 'node',
      outdir: '/out/Fn',
      minify: true,
      sourcemap: false,
      target: ['es2020'],
      format: 'cjs',
    });
    expect(ignoredKeys).toEqual([]);
  });

  it('maps every supported key: lists of key=value become maps, comma lists become arrays', () => {
    const { options } = esbuildOptions(
      spec({
        EntryPoints: ['a.ts', 'b.ts'],
        Minify: false,
        Sourcemap: true,
        Target: 'es2022,node22',
        Format: 'esm',
        MainFields: 'module,main',
        SourcesContent: false,
        External: ['@aws-sdk/*'],
        Loader: ['.png=dataurl'],
        OutExtension: ['.js=.mjs'],
        Banner: ['js=const a = "x=y";'],
        Alias: ['@aws-sdk/credential-provider-node=./shared/aws/environment-credentials.ts'],
      }),
      '/out',
    );
    expect(options).toMatchObject({
      entryPoints: ['a.ts', 'b.ts'],
      minify: false,
      sourcemap: true,
      target: ['es2022', 'node22'],
      format: 'esm',
      mainFields: ['module', 'main'],
      sourcesContent: false,
      external: ['@aws-sdk/*'],
      loader: { '.png': 'dataurl' },
      outExtension: { '.js': '.mjs' },
      banner: { js: 'const a = "x=y";' },
      alias: { '@aws-sdk/credential-provider-node': './shared/aws/environment-credentials.ts' },
    });
  });

  it('treats only a YAML true as true, as SAM does (Minify: "true" is not --minify)', () => {
    expect(esbuildOptions(spec({ EntryPoints: ['a.ts'], Minify: 'true', Sourcemap: 'true' }), '/out').options).toMatchObject({ minify: false, sourcemap: false });
  });

  it('reports keys that reach no esbuild flag, so a typo does not pass unnoticed', () => {
    expect(esbuildOptions(spec({ EntryPoints: ['a.ts'], Minfy: true, UseNpmCi: true }), '/out').ignoredKeys).toEqual(['Minfy']);
  });

  it.each([
    [{}, /EntryPoints: must be a list of strings/],
    [{ EntryPoints: [] }, /EntryPoints: must list at least one entry file/],
    [{ EntryPoints: ['a.ts'], Format: 'umd' }, /Format: must be one of cjs, esm, iife/],
    [{ EntryPoints: ['a.ts'], Banner: 'js=x' }, /Banner: must be a list of strings/],
    [{ EntryPoints: ['a.ts'], OutExtension: ['.mjs'] }, /OutExtension: ".mjs" is not <key>=<value>/],
  ])('refuses %j', (properties, message) => {
    expect(() => esbuildOptions(spec(properties), '/out')).toThrow(BuildPropertiesError);
    expect(() => esbuildOptions(spec(properties), '/out')).toThrow(message);
  });

  it("reads every function of template.yaml with CodeUri from Globals and nothing SAM would ignore", async () => {
    const functions = await esbuildFunctions(join(PROJECT_ROOT, 'template.yaml'));
    expect(functions.map((fn) => fn.logicalId)).toEqual([
      'TokenFunction',
      'AuthorizerFunction',
      'ProductsFunction',
      'DiscoveryFunction',
      'RevocationFunction',
      'IntrospectionFunction',
    ]);
    for (const fn of functions) {
      expect(fn.codeDir).toBe(PROJECT_ROOT.replace(/\/$/, ''));
      const { options, ignoredKeys } = esbuildOptions(fn, '/out');
      expect(ignoredKeys).toEqual([]);
      expect(options).toMatchObject({ format: 'esm', outExtension: { '.js': '.mjs' }, sourcemap: true, minify: true });
    }
  });
});
