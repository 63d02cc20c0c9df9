// SAM's Globals section: the resource's own properties win over globals, maps merge key by key and lists
// add up (globals first). An intrinsic function counts as a single value, not as a map to merge into.
import { isIntrinsic } from './intrinsics.js';
import { isRecord, optionalRecord } from './shape.js';

export function globalsFor(body: Record<string, unknown>, kind: 'Function' | 'Api'): Record<string, unknown> {
  return optionalRecord(optionalRecord(body.Globals, 'Globals')[kind], `Globals.${kind}`);
}

export function mergeGlobals(globals: unknown, own: unknown): unknown {
  if (own === undefined) return globals;
  if (globals === undefined) return own;
  if (Array.isArray(globals) && Array.isArray(own)) return [...globals, ...own];
  if (isRecord(globals) && isRecord(own) && !isIntrinsic(globals) && !isIntrinsic(own)) {
    const merged: Record<string, unknown> = { ...globals };
    for (const [key, value] of Object.entries(own)) merged[key] = mergeGlobals(globals[key], value);
    return merged;
  }
  return own;
}
