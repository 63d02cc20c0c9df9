import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import type { TokenSigner } from '#shared/tokens/token-signer.js';

export interface RsaTestSigner extends TokenSigner {
  publicKey: KeyObject;
  /** RFC 7638 thumbprint, computed by the same code the JWKS uses. */
  thumbprint: string;
  signatures: number;
}

/**
 * A real RSA-2048 key behind the TokenSigner port. createSign('sha256') hashes the signing input and
 * applies PKCS#1 v1.5 with DigestInfo, i.e. RS256 — the same bytes KMS returns for the input's DIGEST.
 */
export function rsaTestSigner(): RsaTestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const thumbprint = verificationKeyFromSpki('test-key', spki).kid;
  const signer: RsaTestSigner = {
    publicKey,
    thumbprint,
    signatures: 0,
    kid: async () => thumbprint,
    async sign(signingInput) {
      signer.signatures += 1;
      return createSign('sha256').update(signingInput).sign(privateKey);
    },
  };
  return signer;
}
