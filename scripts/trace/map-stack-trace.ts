import { SourceMap, type SourceMapPayload } from 'node:module';
import { relative, resolve } from 'node:path';

/**
 * Rewrites every `<bundle>:<line>:<column>` (`handler.mjs` for the functions) in `text` — a plain stack trace, or one inside a JSON log line —
 * to the TypeScript source position the source map gives for it. Positions the map does not cover are left
 * as they are. Lines and columns are 1-based in traces and 0-based in source maps (Source Map v3).
 */
export function mapStackTrace(text: string, payload: SourceMapPayload, where: { bundle: string; mapDir: string; projectRoot: string }): { text: string; mapped: number; unmapped: number } {
  const map = new SourceMap(payload);
  let mapped = 0;
  let unmapped = 0;
  const position = new RegExp(`(?:file://)?(?:[^\\s"'()]*/)?${where.bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`, 'g');
  const result = text.replace(position, (match, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) {
      unmapped++;
      return match;
    }
    mapped++;
    return `${sourcePath(entry.originalSource, where)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
  return { text: result, mapped, unmapped };
}

/**
 * esbuild records sources relative to the map's directory. Shown relative to the project, as in an editor; a
 * map that `sam build` wrote from its scratch copy of the project is cut at the project's own folders.
 */
function sourcePath(source: string, { mapDir, projectRoot }: { mapDir: string; projectRoot: string }): string {
  const absolute = resolve(mapDir, source.startsWith('file://') ? new URL(source).pathname : source);
  if (absolute.startsWith(`${projectRoot}/`)) return relative(projectRoot, absolute);
  return /\/((?:functions|shared|node_modules)\/.*)$/.exec(absolute)?.[1] ?? absolute;
}
