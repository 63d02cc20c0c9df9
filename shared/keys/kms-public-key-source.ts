import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { PublicKeySource } from './verification-key.js';

export function kmsPublicKeySource(kms: KMSClient): PublicKeySource {
  return {
    async getPublicKey(keyId) {
      const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (PublicKey === undefined) throw new Error(`KMS returned no public key for ${keyId}`);
      return PublicKey;
    },
  };
}
