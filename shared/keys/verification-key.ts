import { createPublicKey, createHash, type JsonWebKey, type KeyObject } from 'node:crypto';

/** Where public keys come from (KMS GetPublicKey in production and on the local stack). */
export interface PublicKeySource {
  /** DER-encoded SubjectPublicKeyInfo of the key. */
  getPublicKey(keyId: string): Promise<Uint8Array>;
}

export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** A key that verifies tokens: its KMS id, the `kid` tokens carry, the Node key object and its JWK. */
export interface VerificationKey {
  keyId: string;
  kid: string;
  publicKey: KeyObject;
  jwk: PublicJwk;
}

export class UnsupportedKeyError extends Error {
  override readonly name = 'UnsupportedKeyError';
}

/** Builds a verification key from DER SPKI; RS256 needs RSA of at least 2048 bits (RFC 7518 §3.3). */
export function verificationKeyFromSpki(keyId: string, spki: Uint8Array): VerificationKey {
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const modulusLength = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (publicKey.asymmetricKeyType !== 'rsa' || modulusLength < 2048) {
    throw new UnsupportedKeyError(`Key ${keyId} is not an RSA key of at least 2048 bits`);
  }
  const { n, e } = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  if (typeof n !== 'string' || typeof e !== 'string') throw new UnsupportedKeyError(`Key ${keyId} has no RSA modulus`);
  const kid = jwkThumbprint(n, e);
  return { keyId, kid, publicKey, jwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace.
 * Stable for a key, so `kid` never changes while the key lives and differs for every other key.
 */
export function jwkThumbprint(n: string, e: string): string {
  return createHash('sha256').update(`{"e":"${e}","kty":"RSA","n":"${n}"}`).digest('base64url');
}

/**
 * Every configured key, or a rejection: never the keys that happened to load. A partial set would be
 * cached for the container's life and published in the JWKS (where relying parties cache it too), so
 * every token of the missing key would be refused until the next cold start. Failing as a whole lets
 * the callers answer 503 (discovery) or fail closed (authorizer) and try again on the next request.
 */
export async function loadVerificationKeys(source: PublicKeySource, keyIds: readonly string[]): Promise<VerificationKey[]> {
  return Promise.all(keyIds.map(async (keyId) => verificationKeyFromSpki(keyId, await source.getPublicKey(keyId))));
}
