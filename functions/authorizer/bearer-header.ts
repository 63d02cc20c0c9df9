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
const BEARER_CREDENTIALS = /^Bearer [A-Za-z0-9\-._~+/]+=*$/i;

/** The token from an Authorization header value, or a typed rejection. */
export function readBearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization === '') throw new MissingToken('No Authorization header');
  if (authorization.length > SCHEME_LENGTH + MAX_TOKEN_LENGTH) throw new TokenTooLarge('Token exceeds the size limit');
  if (!BEARER_CREDENTIALS.test(authorization)) throw new MalformedAuthorization('Authorization is not "Bearer <token>"');
  return authorization.slice(SCHEME_LENGTH);
}
