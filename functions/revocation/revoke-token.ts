import { TokenRejected } from '#shared/access-token/token-errors.js';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import type { RevocationRecorder } from '#shared/revocation/revocation-store.js';
import type { TokenEndpointRequest } from '#shared/token-lifecycle/token-endpoint-request.js';

/** What happened, for the log only: the client gets the same 200 whatever it is (RFC 7009 §2.2). */
export type RevocationOutcome = 'revoked' | 'not_a_live_token' | 'issued_to_another_client';

/**
 * RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the revocation
 * request"; a token of another client is left alone. §2.2: an invalid token (expired, forged, of another
 * issuer, garbage) is no error either, since the client could do nothing with one — so the answer never
 * tells whether a token exists. Only a live token of the caller is recorded, until it would have expired.
 */
export async function revokeToken(revocations: Pick<RevocationRecorder, 'revokeToken'>, { caller, token, issuer, verify }: TokenEndpointRequest): Promise<RevocationOutcome> {
  let verified;
  try {
    verified = verify(token, issuer);
  } catch (error) {
    if (error instanceof TokenRejected) return 'not_a_live_token';
    throw error;
  }
  if (verified.clientId !== caller.clientId) return 'issued_to_another_client';
  try {
    await revocations.revokeToken({ jti: verified.jti, clientId: verified.clientId, expiresAt: verified.expiresAt });
  } catch (error) {
    throw dependencyUnavailable('DynamoDB', error);
  }
  return 'revoked';
}
