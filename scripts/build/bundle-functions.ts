import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { globalsFor, mergeGlobals } from '../../local/template/globals.js';
import { buildStack, readTemplate } from '../../local/template/index.js';
import { isRecord } from '../../local/template/shape.js';
import { BuildPropertiesError, esbuildOptions, type FunctionBuildSpec } from './esbuild-options.js';

export interface EsbuildFunction extends FunctionBuildSpec {
  /** The Handler property, e.g. `handler.handler`. */
  handler: string;
}

export interface BuiltFunction {
  logicalId: string;
  outdir: string;
  /** The module Lambda loads for the Handler (e.g. `handler.mjs`), as a path. */
  handlerModule: string;
  files: { path: string; bytes: number }[];
  ignoredKeys: string[];
}

/** The template's functions built with `BuildMethod: esbuild`, as SAM sees them (Globals merged in). */
export async function esbuildFunctions(templatePath: string): Promise<EsbuildFunction[]> {
  const document = await readTemplate(templatePath);
  const stack = buildStack(document);
  const globals = globalsFor(document.body, 'Function');
  return stack.resources
    .filter((resource) => resource.type === 'AWS::Serverless::Function' && stack.exists(resource) && resource.metadata.BuildMethod === 'esbuild')
    .map((resource) => {
      const properties = mergeGlobals(globals, resource.properties) as Record<string, unknown>;
      const { CodeUri: codeUri, Handler: handler } = properties;
      if (typeof codeUri !== 'string') throw new BuildPropertiesError(`${resource.logicalId}: CodeUri must be a local directory to build from`);
      if (typeof handler !== 'string') throw new BuildPropertiesError(`${resource.logicalId}: Handler is required`);
      const buildProperties = isRecord(resource.metadata.BuildProperties) ? resource.metadata.BuildProperties : {};
      return { logicalId: resource.logicalId, handler, codeDir: path.resolve(document.dir, codeUri), buildProperties };
    });
}

/** Bundles one function into `outdir` (emptied first, like SAM's artifacts directory). */
export async function bundleFunction(fn: EsbuildFunction, outdir: string): Promise<BuiltFunction> {
  const { options, ignoredKeys } = esbuildOptions(fn, outdir);
  await rm(outdir, { recursive: true, force: true });
  await build(options);
  const names = await readdir(outdir);
  const files = await Promise.all(names.sort().map(async (name) => ({ path: path.join(outdir, name), bytes: (await stat(path.join(outdir, name))).size })));
  return { logicalId: fn.logicalId, outdir, handlerModule: handlerModule(fn, outdir, names), files, ignoredKeys };
}

/**
 * Lambda's Node.js runtime loads `<file>.js`, `.mjs` or `.cjs` for Handler `<file>.<export>`, from the root
 * of the package; a bundle whose entry file is named otherwise deploys but fails on first invoke.
 */
function handlerModule(fn: EsbuildFunction, outdir: string, names: readonly string[]): string {
  const file = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
  const found = ['.js', '.mjs', '.cjs'].map((extension) => `${file}${extension}`).find((name) => names.includes(name));
  if (found === undefined) {
    throw new BuildPropertiesError(`${fn.logicalId}: Handler "${fn.handler}" needs ${file}.js, .mjs or .cjs in the bundle, which holds ${names.join(', ')}`);
  }
  return path.join(outdir, found);
}
