import { TokenRejected } from '#shared/access-token/token-errors.js';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import { EndpointNotPermitted } from '#shared/errors/oauth-errors.js';
import type { RevocationCheck } from '#shared/revocation/revocation-store.js';
import type { TokenEndpointRequest } from '#shared/token-lifecycle/token-endpoint-request.js';

/** RFC 7662 §2.2. Inactive is exactly `{"active": false}`: nothing about why, or whose the token was. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id: string;
      sub: string;
      aud: string | string[];
      iss: string;
      exp: number;
      iat: number;
      jti: string;
      token_type: 'Bearer';
    };

/** Why a token is inactive, for the log only. */
export type InactiveReason = 'not_a_live_token' | 'revoked';

/**
 * RFC 7662 §2.2 with the authorizer's rules (the same verifier and the same revocation records): active
 * only for a token of this issuer that verifies, is within its lifetime and is neither revoked nor issued
 * before its client's tokens were cut off. §4: the endpoint is for allowed resource servers only, so a
 * caller without the permission is refused before the token is even looked at, and learns nothing.
 */
export async function introspectToken(
  revocations: RevocationCheck,
  { caller, token, issuer, verify }: TokenEndpointRequest,
): Promise<{ response: IntrospectionResponse; reason?: InactiveReason }> {
  if (caller.canIntrospect !== true) {
    throw new EndpointNotPermitted('This client may not use the introspection endpoint').withContext({ clientId: caller.clientId });
  }
  let verified;
  try {
    verified = verify(token, issuer);
  } catch (error) {
    if (error instanceof TokenRejected) return { response: { active: false }, reason: 'not_a_live_token' };
    throw error;
  }
  let revoked: boolean;
  try {
    revoked = await revocations.isRevoked(verified);
  } catch (error) {
    // Not knowing is never "active".
    throw dependencyUnavailable('DynamoDB', error);
  }
  if (revoked) return { response: { active: false }, reason: 'revoked' };
  return {
    response: {
      active: true,
      scope: verified.scope,
      client_id: verified.clientId,
      sub: verified.subject,
      aud: verified.audience,
      iss: verified.issuer,
      exp: verified.expiresAt,
      iat: verified.issuedAt,
      jti: verified.jti,
      token_type: 'Bearer',
    },
  };
}
