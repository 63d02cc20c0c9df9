import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EsbuildFunction } from '../../scripts/build/bundle-functions.js';

/** Where the floor entries live, relative to the project root. */
export const FLOORS_DIR = 'bench/cold-start/floors';

/**
 * The floor of a function: an entry that makes the function's SDK clients with the same settings and the
 * remote calls of its first invocation, and nothing else, named after the function's folder
 * (functions/token/handler.ts → bench/cold-start/floors/token-floor.ts).
 */
export function floorEntry(fn: Pick<EsbuildFunction, 'logicalId' | 'buildProperties'>): string {
  const [entry] = (fn.buildProperties.EntryPoints ?? []) as string[];
  const folder = /^functions\/([^/]+)\//.exec(entry ?? '')?.[1];
  if (folder === undefined) throw new Error(`${fn.logicalId}: entry ${entry} is not under functions/<name>/, so it has no floor`);
  return `${FLOORS_DIR}/${folder}-floor.ts`;
}

/**
 * Another entry built exactly like `fn` (the same BuildProperties: format, minify, target, banner, source
 * map, main fields); only EntryPoints differ. The hello-world bundle and the floors are made this way.
 */
export function builtLike(fn: EsbuildFunction, logicalId: string, projectRoot: string, entry: string): EsbuildFunction {
  if (!existsSync(join(projectRoot, entry))) throw new Error(`${logicalId}: ${entry} does not exist`);
  const file = entry.slice(entry.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]s$/, '');
  return { logicalId, handler: `${file}.handler`, codeDir: projectRoot, buildProperties: { ...fn.buildProperties, EntryPoints: [entry] } };
}
