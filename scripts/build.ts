// `npm run build`: bundles every function as `sam build` does (esbuild, per-function BuildProperties) into dist/.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundleFunction, esbuildFunctions } from './build/bundle-functions.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `Usage: npm run build -- [FunctionLogicalId ...] [--out-dir DIR]

Bundles the template's functions exactly as sam build's esbuild workflow would (Metadata.BuildProperties),
into DIR/<FunctionLogicalId>/ (default dist/), and prints the sizes.
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { 'out-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const outRoot = path.resolve(projectRoot, values['out-dir'] ?? 'dist');
  const all = await esbuildFunctions(path.join(projectRoot, 'template.yaml'));
  const unknown = positionals.filter((id) => !all.some((fn) => fn.logicalId === id));
  if (unknown.length > 0) {
    process.stderr.write(`error: no esbuild function ${unknown.join(', ')} in template.yaml; known: ${all.map((fn) => fn.logicalId).join(', ')}\n`);
    return 2;
  }
  const selected = positionals.length === 0 ? all : all.filter((fn) => positionals.includes(fn.logicalId));
  const built = await Promise.all(selected.map((fn) => bundleFunction(fn, path.join(outRoot, fn.logicalId))));
  for (const fn of built) {
    for (const key of fn.ignoredKeys) process.stderr.write(`warning: ${fn.logicalId} BuildProperties.${key} is not an esbuild option SAM passes on; ignored\n`);
    const sizes = fn.files.map((file) => `${path.basename(file.path)} ${kib(file.bytes)}`).join(', ');
    process.stdout.write(`${fn.logicalId.padEnd(20)} ${path.relative(projectRoot, fn.outdir) || fn.outdir}/  ${sizes}\n`);
  }
  return 0;
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
