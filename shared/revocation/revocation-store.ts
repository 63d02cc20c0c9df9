/**
 * What "revoked" means here, in two kinds of record kept in one table:
 * - one token, by its `jti` (RFC 7009 revocation), kept until the token would have expired;
 * - every token of a client issued at or before a second (`npm run clients -- revoke-tokens`, and `disable` /
 *   `delete`), kept until the longest-lived of those tokens would have expired.
 * Both expire by themselves (DynamoDB TTL on `expiresAt`), so storage stays bounded by the live tokens.
 */
export interface TokenIdentity {
  jti: string;
  clientId: string;
  /** Whole seconds. */
  issuedAt: number;
}

/** The authorizer's and the introspection endpoint's question; rejects when the answer cannot be known. */
export interface RevocationCheck {
  isRevoked(token: TokenIdentity): Promise<boolean>;
}

export interface RevocationRecorder {
  /** Revokes one token until `expiresAt` (whole seconds), when it would have expired anyway. */
  revokeToken(token: { jti: string; clientId: string; expiresAt: number }): Promise<void>;
  /**
   * Revokes every token of `clientId` issued at or before `issuedUpTo` (whole seconds). A later cut-off never
   * moves back: recording an earlier one over a later one changes nothing.
   */
  revokeClientTokens(clientId: string, issuedUpTo: number): Promise<void>;
}

/**
 * How long a client's cut-off is kept: past it, every token issued before the cut-off has expired. The
 * template caps MaxTokenLifetimeSeconds at 86400; the clock skew the authorizer tolerates is at most 300 s.
 */
export const CLIENT_CUTOFF_RETENTION_SECONDS = 86_400 + 300;

export const tokenKey = (jti: string) => `token#${jti}`;
export const clientKey = (clientId: string) => `client#${clientId}`;
