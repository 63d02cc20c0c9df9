import type { BuildOptions, Format, Loader } from 'esbuild';

/**
 * SAM CLI's esbuild build (`BuildMethod: esbuild`, aws-lambda-builders' nodejs_npm_esbuild workflow) as
 * esbuild API options. SAM turns each BuildProperties key into an esbuild command-line flag; the same
 * flags are reproduced here one to one:
 *
 *   always                 --bundle --platform=node --outdir=<artifacts dir>
 *   Minify: true           --minify              (also when Minify is absent; Minify: false leaves it out)
 *   Sourcemap: true        --sourcemap
 *   Target / Format        --target=… / --format=…  (defaults es2020 / cjs when absent)
 *   MainFields / SourcesContent  --main-fields=… / --sources-content=…
 *   External, Loader, OutExtension, Banner, Alias (lists)  --external:X, --loader:X, --out-extension:X,
 *                          --banner:X, --alias:X (an alias's path resolves against CodeUri, SAM's working directory)
 *   EntryPoints            the entry files, relative to CodeUri
 *
 * SAM passes any other key on as a flag too (its name in kebab case); only these are reproduced, and the
 * rest are reported so a typo does not pass unnoticed.
 */
export interface FunctionBuildSpec {
  logicalId: string;
  /** Absolute CodeUri directory: SAM runs esbuild there (in its copy of it). */
  codeDir: string;
  buildProperties: Readonly<Record<string, unknown>>;
}

export class BuildPropertiesError extends Error {
  override readonly name = 'BuildPropertiesError';
}

/** Keys SAM reads for the build that are not esbuild flags. */
const WORKFLOW_KEYS = new Set(['UseNpmCi']);
const KNOWN_KEYS = new Set(['EntryPoints', 'Minify', 'Sourcemap', 'Target', 'Format', 'MainFields', 'SourcesContent', 'External', 'Loader', 'OutExtension', 'Banner', 'Alias', ...WORKFLOW_KEYS]);
const FORMATS: readonly Format[] = ['cjs', 'esm', 'iife'];

export function esbuildOptions(spec: FunctionBuildSpec, outdir: string): { options: BuildOptions; ignoredKeys: string[] } {
  const props = spec.buildProperties;
  const at = (key: string): string => `${spec.logicalId} BuildProperties.${key}`;
  const entryPoints = stringList(props.EntryPoints, at('EntryPoints'));
  if (entryPoints.length === 0) throw new BuildPropertiesError(`${at('EntryPoints')}: must list at least one entry file`);

  const format = props.Format === undefined ? 'cjs' : scalar(props.Format, at('Format'));
  if (!FORMATS.includes(format as Format)) throw new BuildPropertiesError(`${at('Format')}: must be one of ${FORMATS.join(', ')}`);
  const sourcesContent = props.SourcesContent === undefined ? undefined : scalar(props.SourcesContent, at('SourcesContent'));

  const options: BuildOptions = {
    absWorkingDir: spec.codeDir,
    entryPoints,
    bundle: true,
    platform: 'node',
    outdir,
    minify: props.Minify === undefined || props.Minify === true,
    sourcemap: props.Sourcemap === true,
    target: (props.Target === undefined ? 'es2020' : scalar(props.Target, at('Target'))).split(','),
    format: format as Format,
    ...(props.MainFields === undefined ? {} : { mainFields: scalar(props.MainFields, at('MainFields')).split(',') }),
    ...(sourcesContent === undefined ? {} : { sourcesContent: sourcesContent.toLowerCase() !== 'false' }),
    ...(props.External === undefined ? {} : { external: stringList(props.External, at('External')) }),
    ...(props.Loader === undefined ? {} : { loader: pairs(props.Loader, at('Loader')) as Record<string, Loader> }),
    ...(props.OutExtension === undefined ? {} : { outExtension: pairs(props.OutExtension, at('OutExtension')) }),
    ...(props.Banner === undefined ? {} : { banner: pairs(props.Banner, at('Banner')) }),
    ...(props.Alias === undefined ? {} : { alias: pairs(props.Alias, at('Alias')) }),
    logLevel: 'silent',
  };
  return { options, ignoredKeys: Object.keys(props).filter((key) => !KNOWN_KEYS.has(key)) };
}

function scalar(value: unknown, location: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new BuildPropertiesError(`${location}: must be a single value`);
}

function stringList(value: unknown, location: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new BuildPropertiesError(`${location}: must be a list of strings`);
  return value;
}

/** `--banner:js=…` / `--out-extension:.js=.mjs`: each item is `<key>=<value>`, split at the first `=`. */
function pairs(value: unknown, location: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of stringList(value, location)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new BuildPropertiesError(`${location}: "${item}" is not <key>=<value>`);
    result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}
