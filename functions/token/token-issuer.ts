import type { SecretHashing } from '#shared/clients/client-secrets.js';
import type { ClientStore } from '#shared/clients/client-store.js';
import { InvalidRequest, UnsupportedGrantType } from '#shared/errors/oauth-errors.js';
import type { Clock } from '#shared/time/clock.js';
import type { TokenSigner } from '#shared/tokens/token-signer.js';
import { accessTokenClaims, signAccessToken, type AccessTokenClaims } from './access-token.js';
import { selectAudience } from './audience.js';
import { authenticateClient } from '#shared/client-auth/client-authentication.js';
import { grantScopes } from './scope-grant.js';
import type { TokenRequest } from './token-request.js';

export interface TokenIssuerDependencies {
  clients: ClientStore;
  signer: TokenSigner;
  clock: Clock;
  config: { maxTokenLifetimeSeconds: number };
  /** SHA-256 and timingSafeEqual unless a test counts them. */
  secretHashing?: SecretHashing;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  claims: AccessTokenClaims;
}

export type TokenIssuer = (request: TokenRequest) => Promise<IssuedToken>;

/**
 * RFC 6749 §4.4: the client credentials grant. Checks run in the order that reveals least: the grant
 * type, then who the client is, and only for an authenticated client what it may have (scope, audience).
 */
export function makeTokenIssuer({ clients, signer, clock, config, secretHashing }: TokenIssuerDependencies): TokenIssuer {
  return async (request) => {
    // §5.2: a missing required parameter is invalid_request; a grant this server does not offer is
    // unsupported_grant_type.
    if (request.grantType === undefined) throw new InvalidRequest('The grant_type parameter is required');
    if (request.grantType !== 'client_credentials') throw new UnsupportedGrantType('Only the client_credentials grant is supported');

    const now = clock();
    // The kid is cached after the first request; on a cold start its KMS call overlaps the client lookup.
    const [client, kid] = await Promise.all([authenticateClient(clients, request.client, now, secretHashing), signer.kid()]);
    const scopes = grantScopes(client, request.scope);
    const audience = selectAudience(client, request.resources);
    const lifetimeSeconds = Math.min(client.tokenLifetimeSeconds, config.maxTokenLifetimeSeconds);

    const claims = accessTokenClaims({ issuer: request.issuer, clientId: client.clientId, audience, scopes, issuedAt: now, lifetimeSeconds });
    return { accessToken: await signAccessToken(signer, kid, claims), expiresIn: lifetimeSeconds, claims };
  };
}
