import { randomBytes } from 'node:crypto';
import { formatScope } from '#shared/oauth/scope.js';
import { signCompactJws } from '#shared/tokens/compact-jws.js';
import type { TokenSigner } from '#shared/tokens/token-signer.js';
import type { Audience } from './audience.js';

/**
 * RFC 9068 §2.2: these claims, plus the client's own fixed claims (shared/clients/client-claims.ts), whose
 * names can never be one of these. The client acts for itself, so `sub` is its client id (§2.2, §5).
 */
export interface AccessTokenClaims {
  [clientClaim: string]: unknown;
  iss: string;
  sub: string;
  client_id: string;
  /** RFC 7519 §4.1.3: a string, or an array when the client asked for several resources (RFC 8707 §2). */
  aud: Audience;
  /** RFC 9068 §2.2.3: space-delimited, as in RFC 6749 §3.3. */
  scope: string;
  iat: number;
  exp: number;
  jti: string;
}

export interface AccessTokenGrant {
  issuer: string;
  clientId: string;
  audience: Audience;
  scopes: readonly string[];
  issuedAt: Date;
  lifetimeSeconds: number;
  /** Validated at registration: never a reserved name (client-claims.ts). */
  clientClaims?: Readonly<Record<string, string>>;
}

// 128 bits from the CSPRNG: unique without coordination (RFC 7519 §4.1.7).
const JTI_BYTES = 16;

export function accessTokenClaims(grant: AccessTokenGrant): AccessTokenClaims {
  const iat = Math.floor(grant.issuedAt.getTime() / 1000);
  return {
    // First, so a stored claim that slipped past validation could still not replace a standard one.
    ...grant.clientClaims,
    iss: grant.issuer,
    sub: grant.clientId,
    client_id: grant.clientId,
    aud: grant.audience,
    scope: formatScope(grant.scopes),
    iat,
    exp: iat + grant.lifetimeSeconds,
    jti: randomBytes(JTI_BYTES).toString('base64url'),
  };
}

/** RFC 9068 §2.1: typ "at+jwt", so an access token cannot be mistaken for an ID token or any other JWT. */
export function signAccessToken(signer: TokenSigner, kid: string, claims: AccessTokenClaims): Promise<string> {
  return signCompactJws(signer, { alg: 'RS256', typ: 'at+jwt', kid }, claims);
}
