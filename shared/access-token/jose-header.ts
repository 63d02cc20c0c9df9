import type { KeyObject } from 'node:crypto';
import { isJsonObject } from './json-segment.js';
import { DisallowedAlgorithm, MalformedToken, UnknownKid, WrongTokenType } from './token-errors.js';

/**
 * RFC 9068 §4: `typ` must be "at+jwt" or "application/at+jwt". Media types compare case-insensitively
 * and the "application/" prefix may be left out (RFC 7515 §4.1.9).
 */
export function isAccessTokenType(typ: unknown): boolean {
  if (typ === 'at+jwt' || typ === 'application/at+jwt') return true;
  if (typeof typ !== 'string') return false;
  const lowerCase = typ.toLowerCase();
  return lowerCase === 'at+jwt' || lowerCase === 'application/at+jwt';
}

/**
 * Checks a JOSE header (RFC 7515 §4) against what this API accepts and returns the key to verify with.
 * RFC 8725 §3.1: the algorithm is pinned to RS256 before any key is touched, which rules out `none` and
 * HS256-keyed-with-the-public-key. RFC 8725 §3.10: the key comes from configuration, chosen by `kid`
 * alone; jku, x5u, jwk and x5c are never read, so a token cannot bring its own key.
 */
export function verificationKeyFor(header: unknown, keysByKid: ReadonlyMap<string, KeyObject>): KeyObject {
  if (!isJsonObject(header)) throw new MalformedToken('The JOSE header is not a JSON object');
  // RFC 7515 §4.1.11: a recipient must refuse a token whose critical extensions it does not understand,
  // and this one understands none.
  if (header.crit !== undefined) throw new MalformedToken('Critical header parameters are not supported');
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string' || alg === '') throw new MalformedToken('The JOSE header has no alg');
  if (alg !== 'RS256') throw new DisallowedAlgorithm('Only RS256 is accepted');
  const key = typeof kid === 'string' ? keysByKid.get(kid) : undefined;
  if (key === undefined) throw new UnknownKid('The token names no configured key');
  // RFC 8725 §3.11: explicit typing keeps an ID token or any other JWT from passing as an access token.
  if (!isAccessTokenType(typ)) throw new WrongTokenType('The token is not an RFC 9068 access token');
  return key;
}
