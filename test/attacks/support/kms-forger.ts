import { createHash, randomUUID } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { verificationKeyFromSpki, type VerificationKey } from '#shared/keys/verification-key.js';
import { b64url } from '../../support/access-token-fixtures.js';
import type { TestStack } from '../../support/test-stack.js';

/** The JWS `alg` each KMS signing algorithm produces (RFC 7518 §3.3, §3.5). */
const KMS_ALGORITHMS = {
  RS256: { spec: 'RSASSA_PKCS1_V1_5_SHA_256', hash: 'sha256' },
  RS512: { spec: 'RSASSA_PKCS1_V1_5_SHA_512', hash: 'sha512' },
  PS256: { spec: 'RSASSA_PSS_SHA_256', hash: 'sha256' },
} as const satisfies Record<string, { spec: SigningAlgorithmSpec; hash: string }>;

export type KmsAlgorithm = keyof typeof KMS_ALGORITHMS;

/**
 * Signs whatever it is given with the stack's real signing key, through the stack's KMS with the real SDK:
 * a "valid signature, bad claims" token is exactly what the token endpoint would issue if it had a bug.
 */
export interface KmsForger {
  /** The signing key as the authorizer knows it (kid = RFC 7638 thumbprint). */
  key: VerificationKey;
  /** Claims the authorizer accepts, valid for ten minutes from now. */
  validClaims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** The header the token endpoint writes: {alg: RS256, typ: at+jwt, kid}. */
  validHeader(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** A compact JWS over exactly these header and payload bytes; `undefined` members are dropped. */
  sign(header: Record<string, unknown>, payload: Record<string, unknown> | string, algorithm?: KmsAlgorithm): Promise<string>;
  close(): void;
}

export async function kmsForger(stack: TestStack): Promise<KmsForger> {
  const kms = new KMSClient({ endpoint: stack.kmsEndpoint, region: stack.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: stack.signingKeyId }));
  if (PublicKey === undefined) throw new Error('the stack KMS returned no public key');
  const key = verificationKeyFromSpki(stack.signingKeyId, PublicKey);

  return {
    key,
    validClaims: (overrides = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return withoutUndefined({
        iss: stack.issuer,
        sub: 'forged-client',
        client_id: 'forged-client',
        aud: stack.audience,
        scope: 'products:read',
        iat: now,
        exp: now + 600,
        jti: randomUUID(),
        ...overrides,
      });
    },
    validHeader: (overrides = {}) => withoutUndefined({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...overrides }),
    async sign(header, payload, algorithm = 'RS256') {
      const { spec, hash } = KMS_ALGORITHMS[algorithm];
      const encodedPayload = b64url(typeof payload === 'string' ? payload : JSON.stringify(withoutUndefined(payload)));
      const signingInput = `${b64url(JSON.stringify(withoutUndefined(header)))}.${encodedPayload}`;
      const { Signature } = await kms.send(
        new SignCommand({
          KeyId: stack.signingKeyId,
          Message: createHash(hash).update(signingInput).digest(),
          MessageType: 'DIGEST',
          SigningAlgorithm: spec,
        }),
      );
      if (Signature === undefined) throw new Error('the stack KMS returned no signature');
      return `${signingInput}.${Buffer.from(Signature).toString('base64url')}`;
    },
    close: () => kms.destroy(),
  };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
