import { verify, type KeyObject } from 'node:crypto';
import { issuerFromMethodArn } from '#shared/oauth/issuer.js';
import type { Clock } from '#shared/time/clock.js';
import { accessTokenClaimsCheck, type VerifiedAccessToken } from './access-token-claims.js';
import { decodeBase64url } from './base64url.js';
import { verificationKeyFor } from './jose-header.js';
import { isJsonObject, parseJsonSegment, type JsonObject } from './json-segment.js';
import { AuthorizerUnavailable, InvalidSignature, MalformedToken, TokenRejected } from './token-errors.js';

export type { VerifiedAccessToken } from './access-token-claims.js';

export interface AccessTokenVerifierOptions {
  /** The keys tokens may be signed with, each under its `kid` (RFC 7638 thumbprint). */
  keys: readonly { kid: string; publicKey: KeyObject }[];
  /** Configured issuer; when undefined it is derived per request from the method ARN (shared/oauth/issuer.ts). */
  issuer: string | undefined;
  /**
   * Must appear in `aud` (RFC 9068 §4, RFC 8707). `'any'` only for the authorization server's own endpoints
   * (introspection, revocation), which judge tokens of this issuer for every audience.
   */
  audience: string | 'any';
  /** Tolerance on `exp` and `nbf`. */
  clockSkewSeconds: number;
  /** Pins "now" in tests; production reads the system clock. */
  clock?: Clock;
}

/**
 * Returns the token's claims or throws a TokenRejected (or AuthorizerUnavailable). Synchronous, like all
 * it does: a decision is one RSA check and a few string operations, and every awaited hop is a measurable
 * share of that.
 */
export type AccessTokenVerifier = (token: string, methodArn: string) => VerifiedAccessToken;

/** The same checks for a caller that knows its issuer (the authorization server's endpoints); throws the same errors. */
export type IssuerTokenVerifier = (token: string, issuer: string) => VerifiedAccessToken;

/**
 * RFC 9068 §4 validation of an RS256 access token (RFC 7515 compact JWS), strict by default (RFC 8725).
 * Everything that does not depend on the request is settled here, once: the kid → key map and the claim
 * policy. A request then costs a header comparison (see keyForHeader), one synchronous `crypto.verify` and
 * one claims parse — the signature is checked on this thread, not handed to WebCrypto's thread pool and
 * awaited, which is what made a general-purpose JOSE library several times slower than the RSA check itself.
 */
export function makeAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const verify = makeIssuerTokenVerifier(options);
  const issuerFor = issuerResolver(options.issuer);
  return (token, methodArn) => verify(token, issuerFor(methodArn));
}

/** The verifier itself, for a caller that names the issuer on every call. */
export function makeIssuerTokenVerifier(options: Omit<AccessTokenVerifierOptions, 'issuer'>): IssuerTokenVerifier {
  if (options.keys.length === 0) throw new AuthorizerUnavailable('No verification keys configured');
  const keysByKid = new Map<string, KeyObject>(options.keys.map(({ kid, publicKey }) => [kid, publicKey]));
  const checkClaims = accessTokenClaimsCheck(options);
  const { clock } = options;

  // Every token one key signs carries the same header, so the last header accepted is remembered by its
  // exact text and a request repeating it skips decoding, parsing and checking it again. Only a header
  // that passed verificationKeyFor is remembered, and what that decides depends on nothing but its bytes.
  let knownHeader = '';
  let knownHeaderKey: KeyObject | undefined;
  const keyForHeader = (token: string, headerEnd: number): KeyObject => {
    if (knownHeaderKey !== undefined && headerEnd === knownHeader.length && token.startsWith(knownHeader)) return knownHeaderKey;
    const key = verificationKeyFor(parseJsonSegment(token, 0, headerEnd), keysByKid);
    knownHeader = token.slice(0, headerEnd);
    knownHeaderKey = key;
    return key;
  };

  // Set once the signature has verified, so a rejection can name the token by jti and client id in the
  // log. Verification below is synchronous, so no other request can run between setting and reading it.
  let signedClaims: JsonObject | undefined;

  const verifyToken = (token: string, issuer: string): VerifiedAccessToken => {
    const headerEnd = token.indexOf('.');
    const payloadEnd = headerEnd < 0 ? -1 : token.indexOf('.', headerEnd + 1);
    // RFC 7515 §7.1: exactly three parts. A further '.' (five parts would be a JWE, RFC 7516 §7.1) is not
    // base64url, so the signature's decoding refuses it.
    if (payloadEnd < 0) throw new MalformedToken('Not a compact JWS');

    const key = keyForHeader(token, headerEnd);
    const signature = decodeBase64url(token, payloadEnd + 1, token.length);
    if (signature === undefined) throw new MalformedToken('Not a compact JWS with a base64url signature');
    // RFC 7515 §5.2 step 8: the signing input is the ASCII of the first two parts, exactly as received.
    if (!rs256Verifies(Buffer.from(token.slice(0, payloadEnd), 'latin1'), key, signature)) {
      throw new InvalidSignature('Signature does not verify');
    }

    const claims = parseJsonSegment(token, headerEnd + 1, payloadEnd);
    if (!isJsonObject(claims)) throw new MalformedToken('The claims set is not a JSON object');
    signedClaims = claims;
    const now = Math.floor((clock === undefined ? Date.now() : clock().getTime()) / 1000);
    return checkClaims(claims, issuer, now);
  };

  return (token, issuer) => {
    signedClaims = undefined;
    try {
      return verifyToken(token, issuer);
    } catch (error) {
      if (error instanceof TokenRejected) addLogDetails(error, token, signedClaims);
      throw error;
    }
  };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3). A signature of the wrong length is simply false. */
function rs256Verifies(signingInput: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify('RSA-SHA256', signingInput, key, signature);
  } catch {
    return false;
  }
}

/**
 * A container serves one API stage, so one issuer; deriving it from the method ARN is remembered for
 * the last ARN seen instead of being redone per request.
 */
function issuerResolver(configured: string | undefined): (methodArn: string) => string {
  let lastArn: string | undefined;
  let lastIssuer = '';
  return (methodArn) => {
    if (methodArn !== lastArn) {
      const issuer = issuerFromMethodArn(configured, methodArn);
      if (issuer === undefined) throw new AuthorizerUnavailable('Cannot derive the issuer from the method ARN');
      lastArn = methodArn;
      lastIssuer = issuer;
    }
    return lastIssuer;
  };
}

const MAX_LOGGED_LENGTH = 128;

/**
 * What identifies the token in logs without logging the token itself: the header's kid and, when the
 * signature verified, the jti and client id.
 */
function addLogDetails(rejection: TokenRejected, token: string, claims: JsonObject | undefined): void {
  const headerEnd = token.indexOf('.');
  const header = headerEnd > 0 ? parseJsonSegment(token, 0, headerEnd) : undefined;
  rejection.details.kid = loggable(isJsonObject(header) ? header.kid : undefined);
  if (claims !== undefined) {
    rejection.details.jti = loggable(claims.jti);
    rejection.details.clientId = loggable(claims.client_id);
  }
}

function loggable(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_LOGGED_LENGTH ? value : undefined;
}
