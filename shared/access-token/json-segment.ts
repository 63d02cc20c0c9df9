import { decodeBase64url } from './base64url.js';

export type JsonObject = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The JSON value carried by `text[start, end)`: canonical base64url (RFC 7515 §2) of UTF-8 (RFC 7515
 * §5.2 step 4, RFC 7519 §7.2 step 10). Undefined when any layer is malformed: invalid base64url, invalid
 * UTF-8 (never repaired with U+FFFD), or invalid JSON.
 */
export function parseJsonSegment(text: string, start: number, end: number): unknown {
  const bytes = decodeBase64url(text, start, end);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
}

/** A JSON object (RFC 8259 §4), as JOSE headers and JWT claims sets must be; not an array, not null. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
