import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeBase64url } from '#shared/access-token/base64url.js';
import { isJsonObject, parseJsonSegment, type JsonObject } from '#shared/access-token/json-segment.js';
import type { StoredJwk } from '#shared/clients/client-keys.js';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from './assertion-algorithms.js';

/**
 * RFC 7523 §3 checks of a client assertion (private_key_jwt, RFC 7523 §2.2), strict as RFC 8725 asks:
 * algorithms pinned and matched to the key type, the key chosen from the client's registered set only.
 */

export { ASSERTION_ALGORITHMS, type AssertionAlgorithm };

/** Why an assertion was refused. Logged only: every reason is the same invalid_client to the caller. */
export type AssertionFailure =
  | 'malformed_assertion'
  | 'disallowed_alg'
  | 'unknown_kid'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'client_id_mismatch'
  | 'wrong_audience'
  | 'missing_exp'
  | 'expired'
  | 'exp_too_far_ahead'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'missing_jti'
  | 'replayed';

export class AssertionRejected extends Error {
  override readonly name = 'AssertionRejected';
  constructor(readonly reason: AssertionFailure) {
    super(`Client assertion refused: ${reason}`);
  }
}

export interface DecodedAssertion {
  alg: AssertionAlgorithm;
  kid: string | undefined;
  claims: JsonObject;
  /** RFC 7515 §5.2 step 8: the ASCII of the first two parts, exactly as received. */
  signingInput: Buffer;
  signature: Buffer;
}

/** Far above any real assertion (an RSA-4096 signature is 683 characters); bounds the work on junk. */
const MAX_ASSERTION_LENGTH = 8192;

/**
 * Splits and parses a compact JWS (RFC 7515 §7.1) without trusting anything in it yet. Header problems are
 * settled here, before any client is looked up: they say nothing about which clients exist.
 */
export function decodeAssertion(assertion: string): DecodedAssertion {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw new AssertionRejected('malformed_assertion');
  const headerEnd = assertion.indexOf('.');
  const payloadEnd = headerEnd < 0 ? -1 : assertion.indexOf('.', headerEnd + 1);
  if (payloadEnd < 0) throw new AssertionRejected('malformed_assertion');
  const header = parseJsonSegment(assertion, 0, headerEnd);
  const claims = parseJsonSegment(assertion, headerEnd + 1, payloadEnd);
  const signature = decodeBase64url(assertion, payloadEnd + 1, assertion.length);
  if (!isJsonObject(header) || !isJsonObject(claims) || signature === undefined) throw new AssertionRejected('malformed_assertion');
  // RFC 7515 §4.1.11: critical extensions this server does not understand (it understands none).
  if (header.crit !== undefined) throw new AssertionRejected('malformed_assertion');
  const { alg, kid } = header;
  if (!isAssertionAlgorithm(alg)) throw new AssertionRejected('disallowed_alg');
  if (kid !== undefined && typeof kid !== 'string') throw new AssertionRejected('malformed_assertion');
  return { alg, kid, claims, signingInput: Buffer.from(assertion.slice(0, payloadEnd), 'latin1'), signature };
}

function isAssertionAlgorithm(alg: unknown): alg is AssertionAlgorithm {
  return typeof alg === 'string' && (ASSERTION_ALGORITHMS as readonly string[]).includes(alg);
}

/** The client the assertion claims to come from: RFC 7523 §3 items 1–2 make iss and sub its client id. */
export function claimedClientId(claims: JsonObject): string | undefined {
  const { sub, iss } = claims;
  if (typeof sub === 'string' && sub !== '') return sub;
  return typeof iss === 'string' && iss !== '' ? iss : undefined;
}

/**
 * The registered keys that may have signed an assertion with `alg` (RFC 7518: RSA for RS256/PS256, P-256
 * for ES256, and a key's own `alg` when it has one). With a `kid`, only the key it names (RFC 7515
 * §4.1.4); without one, each key of the right type. Empty when none fits.
 */
export function candidateKeys(keys: readonly StoredJwk[], alg: AssertionAlgorithm, kid: string | undefined): StoredJwk[] {
  return keys.filter((key) => (kid === undefined || key.kid === kid) && fitsAlgorithm(key, alg));
}

function fitsAlgorithm(key: StoredJwk, alg: AssertionAlgorithm): boolean {
  if (key.alg !== undefined && key.alg !== alg) return false;
  return alg === 'ES256' ? key.kty === 'EC' : key.kty === 'RSA';
}

/**
 * The signature check as a port, so tests can count it: an unknown client and a bad signature must each
 * cost one verification, and only a count shows that deterministically.
 */
export interface SignatureVerification {
  verify(alg: AssertionAlgorithm, signingInput: Buffer, key: KeyObject, signature: Buffer): boolean;
}

/**
 * node:crypto, synchronously: RS256 is RSASSA-PKCS1-v1_5 (RFC 7518 §3.3); PS256 is RSASSA-PSS with
 * SHA-256, MGF1-SHA-256 and a 32-byte salt (§3.5); ES256 is ECDSA P-256 with the signature as R || S,
 * 64 bytes (§3.4), which node calls ieee-p1363. A signature of the wrong shape is simply false.
 */
export const nodeSignatureVerification: SignatureVerification = {
  verify(alg, signingInput, key, signature) {
    try {
      if (alg === 'RS256') return verify('sha256', signingInput, key, signature);
      if (alg === 'PS256') {
        return verify('sha256', signingInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      }
      return signature.length === 64 && verify('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
};

const keyObjects = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 256;

/** Parsed once per container and key: a warm request does not re-import the same public key. */
export function publicKeyObject(jwk: StoredJwk): KeyObject {
  const members = jwk.kty === 'RSA' ? { kty: jwk.kty, n: jwk.n, e: jwk.e } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const cacheKey = JSON.stringify(members);
  let key = keyObjects.get(cacheKey);
  if (key === undefined) {
    key = createPublicKey({ key: members, format: 'jwk' });
    if (keyObjects.size >= MAX_CACHED_KEYS) keyObjects.delete(keyObjects.keys().next().value as string);
    keyObjects.set(cacheKey, key);
  }
  return key;
}

/**
 * Verified against when there is no registered key to try (unknown client, secret client, unknown kid), so
 * the refusal costs the one verification a bad signature costs (RFC 9700 §4.1: no enumeration by timing).
 * Public keys only; whatever they "verify" is discarded.
 */
const DECOY_RSA = createPublicKey({
  key: {
    kty: 'RSA',
    e: 'AQAB',
    n:
      '9j7iNNp5M6mEIFMqnNTbzGnf4lgyas8JrkG1RtTi1HvSi2EZpHdjMwCPNrjZ-3s_SWveM3zmzElf3LEYbjIBa5mWtIpnRj1-IjkVjF8_Fb83_BxLmted9uYT' +
      '9b8RUsKlP5qdo5-PrAMhLEJZY5sB2X-bcxawb1uWeVpr8reh8oGA6g3WbHRV9z7M0xKWuUeFp7E_y9slBPaZr3IeP04VNeZfgZnCr_6xlGPtbEHpFqTa-12BGHPB' +
      'BrOF63xdUH7ck00LaoBNyPb0p1Xcrib4GRPbXIYT9Ms4hXXV-MXTlfSa8plIO2PqoYOqLgWwr3QfGyxflEeamRoDEV-qy0g9NQ',
  },
  format: 'jwk',
});
const DECOY_EC = createPublicKey({
  key: { kty: 'EC', crv: 'P-256', x: 'OReo58VvWv4BSnONMSwRRjERNUJhIg_v0znCd_bd7Rw', y: 'pxKmbvmVxfi7ivQAT8mkie3P9dmadA2lqePzBLsJ978' },
  format: 'jwk',
});

export function decoyKey(alg: AssertionAlgorithm): KeyObject {
  return alg === 'ES256' ? DECOY_EC : DECOY_RSA;
}

export interface AssertionClaimsPolicy {
  /** RFC 7523 §3 item 3: the values that identify this server — its issuer and its token endpoint URL. */
  audiences: readonly string[];
  clockSkewSeconds: number;
  /** How far ahead `exp` may be: an assertion is for one request, so minutes, not hours. */
  maxLifetimeSeconds: number;
}

/** What a verified assertion leaves to record: its jti, single use until `expiresAt` (seconds). */
export interface AcceptedAssertion {
  jti: string;
  expiresAt: number;
}

const MAX_JTI_LENGTH = 256;

/**
 * RFC 7523 §3 items 1–7 for a signature-verified claims set of client `clientId`, at `now` (seconds).
 * Returns the failure rather than throwing, so the caller settles the order of reasons.
 */
export function checkAssertionClaims(
  claims: JsonObject,
  clientId: string,
  postedClientId: string | undefined,
  policy: AssertionClaimsPolicy,
  now: number,
): AcceptedAssertion | AssertionFailure {
  const { iss, sub, aud, exp, nbf, iat, jti } = claims;
  // §3 items 1–2; RFC 7521 §4.2: a client_id parameter must name the same client.
  if (iss !== clientId || sub !== clientId) return 'wrong_issuer';
  if (postedClientId !== undefined && postedClientId !== clientId) return 'client_id_mismatch';
  // §3 item 3, compared as simple strings (RFC 3986 §6.2.1). Both the issuer identifier and the token
  // endpoint URL are accepted: OpenID Connect Core §9 says the token endpoint, the update of RFC 7523
  // (draft-ietf-oauth-rfc7523bis) says the issuer, and clients follow either.
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.some((value) => typeof value === 'string' && policy.audiences.includes(value))) return 'wrong_audience';
  // §3 item 4: exp required; item 5–6: nbf and iat, with the configured tolerance.
  if (!isNumericDate(exp)) return 'missing_exp';
  if (exp <= now - policy.clockSkewSeconds) return 'expired';
  if (exp > now + policy.maxLifetimeSeconds + policy.clockSkewSeconds) return 'exp_too_far_ahead';
  if (nbf !== undefined && (!isNumericDate(nbf) || nbf > now + policy.clockSkewSeconds)) return 'not_yet_valid';
  if (iat !== undefined && (!isNumericDate(iat) || iat > now + policy.clockSkewSeconds)) return 'issued_in_future';
  // §3 item 7 lets the server require jti for replay protection; this one does, always.
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) return 'missing_jti';
  // Recorded until the last second the assertion could still be accepted.
  return { jti, expiresAt: Math.ceil(exp) + policy.clockSkewSeconds };
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
