/** Decoders that refuse what lenient ones would silently repair: one wrong byte can be an attack. */

// RFC 4648 §4, padded and canonical, nothing else: Buffer.from(…, 'base64') would skip junk, accept missing
// padding and ignore the spare bits of a final partial quantum. §3.5 lets a decoder reject non-zero spare
// bits, and rejecting them gives every byte string one spelling: before '==' the last character carries 2
// bits (A, Q, g, w have the other 4 zero), before '=' it carries 4 (the 16 characters with the low 2 zero).
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/;

export function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Undefined for any invalid UTF-8 (overlong forms, surrogates, truncated sequences). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

// A lone surrogate cannot be encoded as UTF-8, so no well-formed request contains one.
const LONE_SURROGATE = /\p{Surrogate}/u;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
