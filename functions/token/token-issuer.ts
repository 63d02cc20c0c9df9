import type { SecretHashing } from '#shared/clients/client-secrets.js';
import type { AssertionJtiStore } from '#shared/client-auth/assertion-jti-store.js';
import type { SignatureVerification } from '#shared/client-auth/jwt-client-assertion.js';
import type { ClientStore } from '#shared/clients/client-store.js';
import { InvalidRequest, ServerError, UNEXPECTED_CONDITION, UnsupportedGrantType } from '#shared/errors/oauth-errors.js';
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
  config: { maxTokenLifetimeSeconds: number; clockSkewSeconds?: number };
  /** Records private_key_jwt assertions' jti; without it no assertion is accepted. */
  assertionJtis?: AssertionJtiStore;
  /** SHA-256 and timingSafeEqual unless a test counts them. */
  secretHashing?: SecretHashing;
  /** node:crypto unless a test counts the verifications. */
  signatures?: SignatureVerification;
}

/** Fails closed: an assertion that cannot be held to single use is never accepted. */
const noAssertionStore: AssertionJtiStore = {
  claim: async () => {
    throw new ServerError(UNEXPECTED_CONDITION).withContext({ reason: 'assertion_store_not_configured' });
  },
};

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
export function makeTokenIssuer({ clients, signer, clock, config, assertionJtis, secretHashing, signatures }: TokenIssuerDependencies): TokenIssuer {
  const ports = {
    clients,
    assertionJtis: assertionJtis ?? noAssertionStore,
    ...(secretHashing === undefined ? {} : { hashing: secretHashing }),
    ...(signatures === undefined ? {} : { signatures }),
  };
  return async (request) => {
    // §5.2: a missing required parameter is invalid_request; a grant this server does not offer is
    // unsupported_grant_type.
    if (request.grantType === undefined) throw new InvalidRequest('The grant_type parameter is required');
    if (request.grantType !== 'client_credentials') throw new UnsupportedGrantType('Only the client_credentials grant is supported');

    const now = clock();
    // The kid is cached after the first request; on a cold start its KMS call overlaps the client lookup.
    const authentication = authenticateClient(ports, request.client, {
      now,
      // RFC 7523 §3 item 3: the issuer identifier or this endpoint's URL (jwt-client-assertion.ts).
      audiences: [request.issuer, request.tokenEndpoint],
      ...(config.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: config.clockSkewSeconds }),
    });
    const [client, kid] = await Promise.all([authentication, signer.kid()]);
    const scopes = grantScopes(client, request.scope);
    const audience = selectAudience(client, request.resources);
    const lifetimeSeconds = Math.min(client.tokenLifetimeSeconds, config.maxTokenLifetimeSeconds);

    const claims = accessTokenClaims({
      issuer: request.issuer,
      clientId: client.clientId,
      audience,
      scopes,
      issuedAt: now,
      lifetimeSeconds,
      ...(client.claims === undefined ? {} : { clientClaims: client.claims }),
    });
    return { accessToken: await signAccessToken(signer, kid, claims), expiresIn: lifetimeSeconds, claims };
  };
}
