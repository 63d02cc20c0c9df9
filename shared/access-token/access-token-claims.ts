import { clientClaimsOf } from '#shared/clients/client-claims.js';
import { isValidScope } from '#shared/oauth/scope.js';
import { expirySeconds, notBeforeSeconds } from '#shared/tokens/numeric-date.js';
import type { JsonObject } from './json-segment.js';
import { InvalidClaim, TokenExpired, TokenNotYetValid, WrongAudience, WrongIssuer } from './token-errors.js';

/** What the authorizer passes on about a token it accepted. */
export interface VerifiedAccessToken {
  clientId: string;
  subject: string;
  issuer: string;
  /** As the token carries it (RFC 7519 §4.1.3): one audience or several. */
  audience: string | string[];
  scope: string;
  jti: string;
  /** Whole seconds (shared/tokens/numeric-date.ts). */
  issuedAt: number;
  /** Whole seconds, rounded down: the first second at which the token is no longer valid. */
  expiresAt: number;
  /** The client's fixed claims the token carries (shared/clients/client-claims.ts), if any. */
  clientClaims?: Record<string, string>;
}

export interface ClaimsPolicy {
  /** Must appear in `aud` (RFC 9068 §4, RFC 8707); `'any'`: every audience of this issuer (introspection, revocation). */
  audience: string | 'any';
  /** Tolerance on `exp` and `nbf`. */
  clockSkewSeconds: number;
}

/** Checks a verified claims set against `issuer` at `now` (seconds); returns the token or throws a TokenRejected. */
export type ClaimsCheck = (claims: JsonObject, issuer: string, now: number) => VerifiedAccessToken;

/** RFC 9068 §4 validation of an access token's claims, after its signature has been verified. */
export function accessTokenClaimsCheck({ audience, clockSkewSeconds }: ClaimsPolicy): ClaimsCheck {
  return (claims, issuer, now) => {
    const { iss, aud, exp, sub, client_id: clientId, iat, jti, scope, nbf } = claims;
    // RFC 9068 §2.2 (plus `client_id`, §2.2 too, and `scope`, which this API always needs). Named reads,
    // not a loop over names: JSON.parse gives every token's claims the same shape, so these stay fast.
    if (iss === undefined) throw new InvalidClaim('iss');
    if (aud === undefined) throw new InvalidClaim('aud');
    if (exp === undefined) throw new InvalidClaim('exp');
    if (sub === undefined) throw new InvalidClaim('sub');
    if (clientId === undefined) throw new InvalidClaim('client_id');
    if (iat === undefined) throw new InvalidClaim('iat');
    if (jti === undefined) throw new InvalidClaim('jti');
    if (scope === undefined) throw new InvalidClaim('scope');

    // RFC 9068 §4: iss exactly the issuer; aud this API, alone or among others (RFC 7519 §4.1.3).
    if (iss !== issuer) throw new WrongIssuer('The token was issued by someone else');
    if (!isAudience(aud)) throw new InvalidClaim('aud');
    if (audience !== 'any' && aud !== audience && !(Array.isArray(aud) && aud.includes(audience))) throw new WrongAudience('The token is not meant for this API');

    // RFC 7519 §4.1.4 / §4.1.5: exp is exclusive, nbf inclusive, both with the configured tolerance, and
    // both compared in whole seconds, as every backend compares them (shared/tokens/numeric-date.ts).
    if (!isNumericDate(iat)) throw new InvalidClaim('iat');
    if (nbf !== undefined) {
      if (!isNumericDate(nbf)) throw new InvalidClaim('nbf');
      if (notBeforeSeconds(nbf) > now + clockSkewSeconds) throw new TokenNotYetValid('The token is not valid yet');
    }
    if (typeof exp !== 'number') throw new InvalidClaim('exp');
    if (expirySeconds(exp) <= now - clockSkewSeconds) throw new TokenExpired('The token has expired');
    if (!Number.isFinite(exp)) throw new InvalidClaim('exp');

    // RFC 9068 §2.2: strings here. §2.2.3: scope is a space-delimited string (RFC 6749 §3.3), not an
    // array; empty grants nothing.
    if (!isNonEmptyString(sub)) throw new InvalidClaim('sub');
    if (!isNonEmptyString(clientId)) throw new InvalidClaim('client_id');
    if (!isNonEmptyString(jti)) throw new InvalidClaim('jti');
    if (typeof scope !== 'string' || (scope !== '' && !isValidScope(scope))) throw new InvalidClaim('scope');
    const verified: VerifiedAccessToken = { clientId, subject: sub, issuer: iss as string, audience: aud, scope, jti, issuedAt: Math.floor(iat), expiresAt: expirySeconds(exp) };
    const clientClaims = clientClaimsOf(claims);
    return clientClaims === undefined ? verified : { ...verified, clientClaims };
  };
}

/** RFC 7519 §2 NumericDate; JSON.parse turns an out-of-range literal such as 1e999 into Infinity. */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** RFC 7519 §4.1.3: a string, or an array of strings. */
function isAudience(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'));
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
