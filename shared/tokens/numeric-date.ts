/**
 * RFC 7519 §2 allows a NumericDate to be any JSON number (`600.5`, `1e21`). Every layer that compares token
 * times works on whole seconds instead, so the authorizer and the backends behind it can never disagree at a
 * boundary: `exp` (exclusive, RFC 7519 §4.1.4) rounds down and `nbf` (inclusive, §4.1.5) rounds up, which only
 * ever shortens a token's life by under a second. Between layers the seconds travel as plain decimal digits,
 * never `String(number)`, which writes `1e+21`.
 */
export function expirySeconds(exp: number): number {
  return Math.floor(exp);
}

export function notBeforeSeconds(nbf: number): number {
  return Math.ceil(nbf);
}

/** Whole seconds as decimal digits; `seconds` must be a finite integer. */
export function secondsText(seconds: number): string {
  // String() writes a safe integer as plain digits (it switches to exponents only from 1e21); BigInt beyond.
  return Number.isSafeInteger(seconds) ? String(seconds) : BigInt(seconds).toString();
}

/** The inverse of secondsText; undefined for anything that is not decimal digits. */
export function readSecondsText(text: string): number | undefined {
  return /^\d{1,400}$/.test(text) ? Number(text) : undefined;
}
