import { InvalidMarkerError } from './errors.js';

/**
 * Marker-based paging of the List* operations. The marker is opaque to clients, as in KMS; here it
 * carries the offset of the next item.
 */
export interface Page<T> {
  items: T[];
  /** The List* response members: Truncated always, NextMarker only when truncated. */
  response: { Truncated: boolean; NextMarker?: string };
}

const encodeMarker = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeMarker(marker: string): number {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(marker, 'base64url').toString());
  if (!match || encodeMarker(Number(match[1])) !== marker) throw new InvalidMarkerError();
  return Number(match[1]);
}

export function paginate<T>(all: readonly T[], limit: number, marker: string | undefined): Page<T> {
  const start = marker === undefined ? 0 : decodeMarker(marker);
  const end = start + limit;
  const items = all.slice(start, end);
  return end < all.length ? { items, response: { Truncated: true, NextMarker: encodeMarker(end) } } : { items, response: { Truncated: false } };
}
