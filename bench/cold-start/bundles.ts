import { basename, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bundleFunction, type BuiltFunction, type EsbuildFunction } from '../../scripts/build/bundle-functions.js';
import { esbuildOptions } from '../../scripts/build/esbuild-options.js';

export interface PackageBytes {
  name: string;
  bytes: number;
}

export interface Bundled {
  built: BuiltFunction;
  /** The minified handler module alone (source map and other files left out). */
  handlerBytes: number;
  /** Bytes of it from the AWS SDK (@aws-sdk/*, @smithy/*). */
  sdkBytes: number;
  /** Bytes in the output per npm package, largest first. */
  packages: PackageBytes[];
}

/** Bytes in the minified output per npm package (or "project sources" for ours), largest first. */
export function bytesByPackage(metafile: Metafile, output: string): PackageBytes[] {
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
export const isAwsSdk = (name: string) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/');

export function packageBytes(bundled: Pick<Bundled, 'packages'>, name: string): number {
  return bundled.packages.find((p) => p.name === name)?.bytes ?? 0;
}

/** The bundle as `npm run build` makes it (scripts/build), plus an esbuild metafile of the same options. */
export async function bundle(fn: EsbuildFunction, outdir: string): Promise<Bundled> {
  const built = await bundleFunction(fn, outdir);
  const { options } = esbuildOptions(fn, join(outdir, '..', `${basename(outdir)}-metafile`));
  const { metafile } = await build({ ...options, write: false, metafile: true });
  const output = Object.keys(metafile.outputs).find((path) => path.endsWith(basename(built.handlerModule)));
  const handlerBytes = built.files.find((file) => file.path === built.handlerModule)?.bytes ?? 0;
  const packages = output === undefined ? [] : bytesByPackage(metafile, output);
  const sdkBytes = packages.filter(({ name }) => isAwsSdk(name)).reduce((sum, { bytes }) => sum + bytes, 0);
  return { built, handlerBytes, sdkBytes, packages };
}
