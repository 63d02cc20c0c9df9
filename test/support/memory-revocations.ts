import type { RevocationCheck, TokenIdentity } from '#shared/revocation/revocation-store.js';

/** An in-memory RevocationCheck for unit tests of its callers; the DynamoDB adapter has tests of its own. */
export function memoryRevocations(): RevocationCheck & { revoked: Set<string>; cutoffs: Map<string, number>; asked: TokenIdentity[] } {
  const revoked = new Set<string>();
  const cutoffs = new Map<string, number>();
  const asked: TokenIdentity[] = [];
  return {
    revoked,
    cutoffs,
    asked,
    async isRevoked(token) {
      asked.push(token);
      const cutoff = cutoffs.get(token.clientId);
      return revoked.has(token.jti) || (cutoff !== undefined && token.issuedAt <= cutoff);
    },
  };
}
