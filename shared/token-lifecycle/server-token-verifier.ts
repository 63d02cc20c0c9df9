import { makeIssuerTokenVerifier, type IssuerTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { onceSucceeded } from '#shared/async/once-succeeded.js';
import { loadVerificationKeys, type PublicKeySource } from '#shared/keys/verification-key.js';

/**
 * The authorizer's verifier (shared/access-token), for the authorization server's own endpoints: every
 * audience of this issuer is theirs to judge. Keys are fetched on first use and kept; a failed fetch is
 * retried by the next request.
 */
export function serverTokenVerifier(keys: PublicKeySource, keyIds: readonly string[], clockSkewSeconds: number): () => Promise<IssuerTokenVerifier> {
  return onceSucceeded(async () => makeIssuerTokenVerifier({ keys: await loadVerificationKeys(keys, keyIds), audience: 'any', clockSkewSeconds }));
}
