import { createHash } from 'node:crypto';
import { SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { onceSucceeded } from '#shared/async/once-succeeded.js';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import { noMetrics, type InvocationMetrics } from '#shared/metrics/invocation-metrics.js';
import type { TokenSigner } from './token-signer.js';

/**
 * RS256 through KMS Sign. The message sent is the SHA-256 digest (MessageType DIGEST): 32 bytes on the
 * wire whatever the token's size, and KMS applies the PKCS#1 v1.5 DigestInfo encoding itself, so the
 * result is exactly the RS256 signature of the signing input.
 *
 * `keyId` must name the key itself (ARN or id), not an alias: the kid is read once per container, and an
 * alias moved during rotation would make KMS sign with a key the cached kid does not describe.
 */
export function kmsTokenSigner(kms: KMSClient, keyId: string, metrics: InvocationMetrics = noMetrics): TokenSigner {
  const publicKeys = kmsPublicKeySource(kms);

  const kid = onceSucceeded(async () => {
    let spki: Uint8Array;
    try {
      spki = await publicKeys.getPublicKey(keyId);
    } catch (error) {
      throw dependencyUnavailable('KMS', error);
    }
    // A key that is not RSA ≥ 2048 is a deployment error, not an outage: it surfaces as a 500.
    return verificationKeyFromSpki(keyId, spki).kid;
  });

  return {
    kid,
    async sign(signingInput) {
      const digest = createHash('sha256').update(signingInput).digest();
      let signature: Uint8Array | undefined;
      const started = performance.now();
      try {
        ({ Signature: signature } = await kms.send(
          new SignCommand({
            KeyId: keyId,
            Message: digest,
            MessageType: 'DIGEST',
            SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
          }),
        ));
      } catch (error) {
        throw dependencyUnavailable('KMS', error);
      }
      if (signature === undefined || signature.length === 0) {
        throw dependencyUnavailable('KMS', new Error('KMS Sign returned no signature'));
      }
      // Only successful calls: a failure is counted as a DependencyFailure, and its record keeps its own dimensions.
      metrics.milliseconds('KmsSignLatency', Math.round((performance.now() - started) * 100) / 100);
      return signature;
    },
  };
}
