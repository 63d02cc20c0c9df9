import { randomUUID } from 'node:crypto';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { signCompactJws } from '#shared/tokens/compact-jws.js';
import { kmsTokenSigner } from '#shared/tokens/kms-token-signer.js';
import type { StackInfo } from '../../local/stack-info.js';

/**
 * Tokens signed through a stack's own KMS emulator with the real SDK: with the stack's signing key they
 * differ from issued tokens only where a test changes them, so a refusal is about that change; with
 * another key they are exactly what a forger holding some other RSA key in the account could make.
 */
export function stackKms(stack: Pick<StackInfo, 'kmsEndpoint' | 'region'>): KMSClient {
  return new KMSClient({ endpoint: stack.kmsEndpoint, region: stack.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

/** A second RSA signing key in the same KMS: real, usable, but not one the stack trusts. */
export async function createOtherSigningKey(kms: KMSClient): Promise<string> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'not a signing key of the stack' }));
  if (KeyMetadata?.Arn === undefined) throw new Error('KMS CreateKey returned no key');
  return KeyMetadata.Arn;
}

/** RFC 7638 thumbprint of a KMS key's public key: the kid its tokens carry. */
export function kidOfKmsKey(kms: KMSClient, keyId: string): Promise<string> {
  return kmsTokenSigner(kms, keyId).kid();
}

export interface TokenHeader {
  alg: 'RS256';
  typ: string;
  kid: string;
}

/** RS256 over exactly this header and these claims, the signature made by KMS Sign with `keyId`. */
export function signWithKmsKey(kms: KMSClient, keyId: string, header: TokenHeader, claims: object): Promise<string> {
  return signCompactJws(kmsTokenSigner(kms, keyId), header, claims);
}

/** The claims the token endpoint would issue to `clientId` for the stack's API, valid from now for five minutes. */
export function issuedClaims(stack: Pick<StackInfo, 'issuer' | 'audience'>, clientId: string, scope: string): Record<string, string | number> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: stack.issuer, sub: clientId, client_id: clientId, aud: stack.audience, scope, iat: now, exp: now + 300, jti: randomUUID() };
}
