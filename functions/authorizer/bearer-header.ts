import { MalformedAuthorization, MissingToken, TokenTooLarge } from '#shared/access-token/token-errors.js';

/**
 * Large enough for any token the token endpoint issues (a few hundred bytes of claims plus a 256-byte
 * RS256 signature) with room to spare, small enough that nothing downstream parses megabytes.
 */
export const MAX_TOKEN_LENGTH = 8192;

const SCHEME_LENGTH = 'Bearer '.length;

/**
 * RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token, b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~"
 * / "+" / "/" ) *"=". The scheme is case-insensitive (RFC 9110 §11.1). Stricter than the grammar on one
 * point: exactly one space, so a header is either plainly one bearer token or refused, never guessed at.
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const SCHEME = /^Bearer $/i;

/** The token from an Authorization header value, or a typed rejection. */
export function readBearerToken(authorization: string | undefined): string {
  const token = bearerCandidate(authorization);
  if (!isB64token(token)) throw notBearer();
  return token;
}

/**
 * readBearerToken without the b64token scan, for a caller that verifies the token next: a token whose
 * three parts decode as canonical base64url (RFC 7515 §2) has only b64token characters, so the scan is
 * needed only to name a refusal, which is where the authorizer runs it (token-authorizer.ts).
 */
export function bearerCandidate(authorization: string | undefined): string {
  if (authorization === undefined || authorization === '') throw new MissingToken('No Authorization header');
  if (authorization.length > SCHEME_LENGTH + MAX_TOKEN_LENGTH) throw new TokenTooLarge('Token exceeds the size limit');
  if (!SCHEME.test(authorization.slice(0, SCHEME_LENGTH))) throw notBearer();
  return authorization.slice(SCHEME_LENGTH);
}

export function isB64token(token: string): boolean {
  return B64TOKEN.test(token);
}

export function notBearer(): MalformedAuthorization {
  return new MalformedAuthorization('Authorization is not "Bearer <token>"');
}
