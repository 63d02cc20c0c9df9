import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { issuerFromMethodArn } from '#shared/oauth/issuer.js';
import { isValidScope } from '#shared/oauth/scope.js';
import type { Clock } from '#shared/time/clock.js';
import {
  AuthorizerUnavailable,
  DisallowedAlgorithm,
  InvalidClaim,
  InvalidSignature,
  MalformedToken,
  TokenExpired,
  TokenNotYetValid,
  TokenRejected,
  UnknownKid,
  WrongAudience,
  WrongIssuer,
  WrongTokenType,
} from './token-errors.js';

export interface AccessTokenVerifierOptions {
  /** The keys tokens may be signed with, each under its `kid` (RFC 7638 thumbprint). */
  keys: readonly { kid: string; publicKey: KeyObject }[];
  /** Configured issuer; when undefined it is derived per request from the method ARN (shared/oauth/issuer.ts). */
  issuer: string | undefined;
  /** Must appear in `aud` (RFC 9068 §4, RFC 8707). */
  audience: string;
  /** Tolerance on `exp` and `nbf`. */
  clockSkewSeconds: number;
  /** Pins "now" in tests; production reads the system clock. */
  clock?: Clock;
}

/** What the authorizer passes on about a token it accepted. */
export interface VerifiedAccessToken {
  clientId: string;
  subject: string;
  scope: string;
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

/** Resolves with the token's claims or rejects with a TokenRejected (or AuthorizerUnavailable). */
export type AccessTokenVerifier = (token: string, methodArn: string) => Promise<VerifiedAccessToken>;

/** RFC 9068 §2.2 (plus `client_id`, §2.2 too, and `scope`, which this API always needs). */
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'scope'];

/**
 * Everything that does not depend on the request is settled here, once: the kid → key map, the jose
 * options (algorithm pinned, `typ` required, audience, tolerance). A request then costs one header
 * parse, one signature check and one claims parse.
 */
export function makeAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const { audience, clock } = options;
  if (options.keys.length === 0) throw new AuthorizerUnavailable('No verification keys configured');
  const keysByKid = new Map(options.keys.map(({ kid, publicKey }) => [kid, publicKey]));

  // RFC 8725 §3.10: the key comes from our configuration, selected by `kid` alone. jku, x5u, jwk and x5c
  // are never read, so a token cannot bring its own key.
  const keyFor = ({ kid }: { kid?: string }): KeyObject => {
    const key = kid === undefined ? undefined : keysByKid.get(kid);
    if (key === undefined) throw new UnknownKid('The token names no configured key');
    return key;
  };

  const common: JWTVerifyOptions = {
    // RFC 8725 §3.1: the header's alg is checked against this list before any key is used,
    // which rules out `none` and HS256-with-the-public-key.
    algorithms: ['RS256'],
    // RFC 9068 §4 allows "at+jwt" and "application/at+jwt"; jose compares media types case-insensitively
    // (RFC 7515 §4.1.9) with the "application/" prefix optional, which is exactly that rule.
    typ: 'at+jwt',
    audience,
    clockTolerance: options.clockSkewSeconds,
    requiredClaims: REQUIRED_CLAIMS,
  };

  let lastIssuer: string | undefined;
  let lastOptions = common;
  const optionsFor = (methodArn: string): JWTVerifyOptions => {
    const issuer = issuerFromMethodArn(options.issuer, methodArn);
    if (issuer === undefined) throw new AuthorizerUnavailable('Cannot derive the issuer from the method ARN');
    // A container serves one API stage, so one issuer: keep its options instead of rebuilding them per request.
    if (issuer !== lastIssuer) {
      lastIssuer = issuer;
      lastOptions = { ...common, issuer };
    }
    return clock === undefined ? lastOptions : { ...lastOptions, currentDate: clock() };
  };

  return async (token, methodArn) => {
    const verifyOptions = optionsFor(methodArn);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyFor, verifyOptions));
    } catch (error) {
      throw withLogDetails(rejectionFor(error), token, error);
    }
    return accessTokenFrom(payload, token);
  };
}

/** jose tells failures apart by class and claim; the rest of the authorizer speaks token-errors.ts. */
function rejectionFor(error: unknown): unknown {
  if (error instanceof TokenRejected) return error;
  if (error instanceof errors.JWTExpired) return new TokenExpired('The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason !== 'check_failed') return new InvalidClaim(error.claim);
    switch (error.claim) {
      case 'typ':
        return new WrongTokenType('The token is not an RFC 9068 access token');
      case 'iss':
        return new WrongIssuer('The token was issued by someone else');
      case 'aud':
        return new WrongAudience('The token is not meant for this API');
      case 'nbf':
        return new TokenNotYetValid('The token is not valid yet');
      default:
        return new InvalidClaim(error.claim);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new DisallowedAlgorithm('Only RS256 is accepted');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidSignature('Signature does not verify');
  if (error instanceof errors.JOSEError) return new MalformedToken('Not a well-formed JWT');
  return error;
}

/** Claim types jose does not check: RFC 9068 §2.2 wants strings here and NumericDates there. */
function accessTokenFrom(payload: JWTPayload, token: string): VerifiedAccessToken {
  const { sub, client_id: clientId, scope, jti, iat, exp } = payload;
  const invalid = (claim: string) => withLogDetails(new InvalidClaim(claim), token, { payload });
  if (!isNonEmptyString(sub)) throw invalid('sub');
  if (!isNonEmptyString(clientId)) throw invalid('client_id');
  if (!isNonEmptyString(jti)) throw invalid('jti');
  // RFC 9068 §2.2.3: a space-delimited string (RFC 6749 §3.3), not an array. Empty grants nothing.
  if (typeof scope !== 'string' || (scope !== '' && !isValidScope(scope))) throw invalid('scope');
  if (!Number.isFinite(iat)) throw invalid('iat');
  if (!Number.isFinite(exp)) throw invalid('exp');
  return { clientId, subject: sub, scope, jti, issuedAt: iat as number, expiresAt: exp as number };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

const MAX_LOGGED_LENGTH = 128;

/**
 * Adds what identifies the token in logs without logging the token itself: the header's kid and, when
 * the signature verified (jose checks claims only after it), the jti and client id.
 */
function withLogDetails(rejection: unknown, token: string, cause: unknown): unknown {
  if (!(rejection instanceof TokenRejected)) return rejection;
  rejection.details.kid = loggable(headerKid(token));
  const payload = (cause as { payload?: JWTPayload }).payload;
  if (payload !== undefined) {
    rejection.details.jti = loggable(payload.jti);
    rejection.details.clientId = loggable(payload.client_id);
  }
  return rejection;
}

function headerKid(token: string): unknown {
  try {
    return decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
}

function loggable(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_LOGGED_LENGTH ? value : undefined;
}
