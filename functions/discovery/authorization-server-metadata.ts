import { ASSERTION_ALGORITHMS } from '#shared/client-auth/assertion-algorithms.js';

/**
 * RFC 8414 §2 metadata for a server that only issues tokens: no authorization endpoint, hence
 * `response_types_supported: []` (REQUIRED, and empty is the honest value) and only the
 * client_credentials grant (RFC 6749 §4.4).
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  scopes_supported: string[];
  response_types_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  revocation_endpoint: string;
  revocation_endpoint_auth_methods_supported: string[];
  introspection_endpoint: string;
  introspection_endpoint_auth_methods_supported: string[];
}

// One client-authentication module (shared/client-auth) behind every endpoint, so every endpoint takes every method.
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

export function authorizationServerMetadata(issuer: string, scopesSupported: readonly string[]): AuthorizationServerMetadata {
  return {
    // RFC 8414 §3.3: must be identical to the `iss` the tokens carry, so both come from shared/oauth/issuer.ts.
    issuer,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: [...scopesSupported],
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    // RFC 6749 §2.3.1: HTTP Basic, or the credentials in the form body; RFC 7523 §2.2: a signed JWT.
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    // RFC 8414 §2: the algorithms private_key_jwt assertions may be signed with.
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    // RFC 8414 §2: RFC 7009 revocation and RFC 7662 introspection, authenticating clients as the token
    // endpoint does (one module: shared/client-auth).
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
  };
}
