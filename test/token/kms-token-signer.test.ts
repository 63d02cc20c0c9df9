import { createPublicKey, verify } from 'node:crypto';
import { DisableKeyCommand, EnableKeyCommand, GetPublicKeyCommand, KMSClient, LimitExceededException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TemporarilyUnavailable } from '#shared/errors/oauth-errors.js';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import { signCompactJws } from '#shared/tokens/compact-jws.js';
import { kmsTokenSigner } from '#shared/tokens/kms-token-signer.js';
import { startLocalAws, type LocalAws } from './support/local-aws.js';

let aws: LocalAws;
let publicKeyDer: Uint8Array;

beforeAll(async () => {
  aws = await startLocalAws();
  const { PublicKey } = await aws.kms.kms.send(new GetPublicKeyCommand({ KeyId: aws.signingKeyArn }));
  publicKeyDer = PublicKey ?? new Uint8Array();
});

afterAll(() => aws.close());

describe('KMS token signer', () => {
  it('produces RS256 signatures of the signing input by sending KMS its SHA-256 digest', async () => {
    const send = vi.spyOn(aws.kms.kms, 'send');
    const input = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0');
    const signature = await kmsTokenSigner(aws.kms.kms, aws.signingKeyArn).sign(input);

    const publicKey = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
    expect(verify('sha256', input, publicKey, signature)).toBe(true);
    expect(send.mock.calls[0]?.[0].input).toMatchObject({
      KeyId: aws.signingKeyArn,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      Message: expect.objectContaining({ length: 32 }),
    });
    send.mockRestore();
  });

  it("names the key by the RFC 7638 thumbprint of KMS's public key, fetched once", async () => {
    const send = vi.spyOn(aws.kms.kms, 'send');
    const signer = kmsTokenSigner(aws.kms.kms, aws.signingKeyArn);
    const kids = await Promise.all([signer.kid(), signer.kid(), signer.kid()]);
    await signer.kid();
    expect(new Set(kids)).toEqual(new Set([verificationKeyFromSpki(aws.signingKeyArn, publicKeyDer).kid]));
    expect(send.mock.calls.filter(([command]) => command instanceof GetPublicKeyCommand)).toHaveLength(1);
    send.mockRestore();
  });

  it('signs JWTs that jose verifies with the public key', async () => {
    const signer = kmsTokenSigner(aws.kms.kms, aws.signingKeyArn);
    const token = await signCompactJws(signer, { alg: 'RS256', typ: 'at+jwt', kid: await signer.kid() }, { sub: 'x' });
    const publicKey = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
    await expect(jwtVerify(token, publicKey, { algorithms: ['RS256'], typ: 'at+jwt' })).resolves.toMatchObject({ payload: { sub: 'x' } });
  });

  it('does not keep a failed public-key fetch: the next call asks KMS again', async () => {
    const signer = kmsTokenSigner(aws.kms.kms, aws.signingKeyArn);
    const kms = mockClient(KMSClient);
    kms.on(GetPublicKeyCommand).rejects(new LimitExceededException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(signer.kid()).rejects.toMatchObject({ error: 'temporarily_unavailable', retryAfterSeconds: 1 });
    kms.restore();
    await expect(signer.kid()).resolves.toBe(verificationKeyFromSpki(aws.signingKeyArn, publicKeyDer).kid);
  });

  it('reports a disabled key as temporarily_unavailable with a long Retry-After, and recovers when re-enabled', async () => {
    const signer = kmsTokenSigner(aws.kms.kms, aws.signingKeyArn);
    await aws.kms.kms.send(new DisableKeyCommand({ KeyId: aws.signingKeyArn }));
    try {
      const error = await signer.sign(Buffer.from('a.b')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TemporarilyUnavailable);
      expect(error).toMatchObject({ retryAfterSeconds: 30, context: { dependency: 'KMS', errorName: 'DisabledException' } });
    } finally {
      await aws.kms.kms.send(new EnableKeyCommand({ KeyId: aws.signingKeyArn }));
    }
    await expect(signer.sign(Buffer.from('a.b'))).resolves.toHaveLength(256);
  });
});
