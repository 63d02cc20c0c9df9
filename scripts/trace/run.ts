import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { SourceMapPayload } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mapStackTrace } from './map-stack-trace.js';

export interface TraceCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

const USAGE = `Usage: npm run trace -- <FunctionLogicalId | path/to/handler.mjs.map> [file]

Maps a minified stack trace from a function's log (plain, or the JSON log line that carries it) to the
TypeScript sources, with the source map \`sam build\` wrote to .aws-sam/build/<FunctionLogicalId>/ (or
\`npm run build\` to dist/<FunctionLogicalId>/). Reads the trace from [file], or from standard input.
Build the commit that is deployed: a map only fits the bundle it was built with.
`;

export async function runTraceCli(argv: readonly string[], io: TraceCliIo, { projectRoot }: { projectRoot: string }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const [target, file, ...extra] = parsed.positionals;
  if (target === undefined || extra.length > 0) {
    io.stderr(`error: ${target === undefined ? 'name a function or a source map' : `unexpected argument ${JSON.stringify(extra[0])}`}\n${USAGE}`);
    return 2;
  }
  const mapFile = findMap(target, projectRoot);
  if (mapFile === undefined) {
    io.stderr(`error: no source map for ${target}: run \`sam build\` or \`npm run build\` (looked in .aws-sam/build/${target}/ and dist/${target}/)\n`);
    return 2;
  }
  let payload: SourceMapPayload;
  try {
    payload = JSON.parse(await readFile(mapFile, 'utf8')) as SourceMapPayload;
  } catch (error) {
    io.stderr(`error: ${mapFile} is not a readable source map: ${(error as Error).message}\n`);
    return 2;
  }
  let text: string;
  try {
    text = file === undefined ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    io.stderr(`error: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const bundle = basename(mapFile, '.map');
  const result = mapStackTrace(text, payload, { bundle, mapDir: dirname(mapFile), projectRoot: resolve(projectRoot) });
  io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  if (result.mapped === 0) io.stderr(`no ${bundle} positions were mapped${result.unmapped > 0 ? ` (${result.unmapped} outside the map: is it the deployed commit's build?)` : ''}\n`);
  return 0;
}

function findMap(target: string, projectRoot: string): string | undefined {
  if (target.endsWith('.map')) {
    const path = isAbsolute(target) ? target : resolve(target);
    return existsSync(path) ? path : undefined;
  }
  return [join(projectRoot, '.aws-sam', 'build', target, 'handler.mjs.map'), join(projectRoot, 'dist', target, 'handler.mjs.map')].find((path) => existsSync(path));
}
