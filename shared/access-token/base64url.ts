/**
 * Decodes `text[start, end)` when it is base64url exactly as RFC 7515 §2 writes it — only the base64url
 * alphabet, no padding, no whitespace — and canonical (the spare bits of a final partial quantum are
 * zero, RFC 4648 §3.5), so every byte string has one spelling. Undefined otherwise.
 *
 * Buffer.from(…, 'base64url') alone is lenient: it skips junk, takes '+', '/' and '=' and ignores spare
 * bits. Its output encodes back to the canonical spelling of those bytes, so comparing that with the input
 * accepts exactly the canonical strings — and costs less than scanning the input character by character.
 */
export function decodeBase64url(text: string, start: number, end: number): Buffer | undefined {
  const encoded = text.slice(start, end);
  const bytes = Buffer.from(encoded, 'base64url');
  return bytes.toString('base64url') === encoded ? bytes : undefined;
}
