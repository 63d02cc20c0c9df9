import type { PublicJwk, VerificationKey } from '#shared/keys/verification-key.js';

export interface JsonWebKeySet {
  keys: PublicJwk[];
}

/**
 * RFC 7517 §5: every key whose tokens are still accepted (VERIFY_KEY_IDS: the active key and, during a
 * rotation, the previous one), each under the kid tokens carry. Only the public members, and each key
 * once even if it is configured twice.
 */
export function jwksOf(keys: readonly VerificationKey[]): JsonWebKeySet {
  const byKid = new Map<string, PublicJwk>();
  for (const { jwk } of keys) {
    const { kty, n, e, alg, use, kid } = jwk;
    byKid.set(kid, { kty, n, e, alg, use, kid });
  }
  return { keys: [...byKid.values()] };
}
