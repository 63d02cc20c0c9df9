import { constants, createHash, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import {
  DisableKeyCommand,
  DisabledException,
  DryRunOperationException,
  GetPublicKeyCommand,
  InvalidKeyUsageException,
  KMSInvalidSignatureException,
  KMSServiceException,
  NotFoundException,
  SignCommand,
  VerifyCommand,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsFixture, type KmsFixture, type SigningKey } from './kms-fixture.js';

let fixture: KmsFixture;
let key: SigningKey;
let publicKey: KeyObject;

beforeAll(async () => {
  fixture = await startKmsFixture();
  key = await fixture.createSigningKey();
  const { PublicKey } = await fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
  if (!PublicKey) throw new Error('no public key');
  publicKey = createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' });
});
afterAll(() => fixture.close());

const message = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQtMSJ9');

const ALGORITHMS = [
  ['RSASSA_PKCS1_V1_5_SHA_256', 'sha256', 'pkcs1'],
  ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384', 'pkcs1'],
  ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512', 'pkcs1'],
  ['RSASSA_PSS_SHA_256', 'sha256', 'pss'],
  ['RSASSA_PSS_SHA_384', 'sha384', 'pss'],
  ['RSASSA_PSS_SHA_512', 'sha512', 'pss'],
] as const;

const sign = (input: { Message: Uint8Array; SigningAlgorithm: SigningAlgorithmSpec; MessageType?: 'RAW' | 'DIGEST'; KeyId?: string }) =>
  fixture.kms.send(new SignCommand({ KeyId: key.KeyId, ...input }));

const verify = (input: { Message: Uint8Array; Signature: Uint8Array; SigningAlgorithm: SigningAlgorithmSpec; MessageType?: 'RAW' | 'DIGEST' }) =>
  fixture.kms.send(new VerifyCommand({ KeyId: key.KeyId, ...input }));

/** node:crypto, configured as KMS documents each algorithm (PSS salt = hash length). */
const verifiesLocally = (hash: string, scheme: 'pkcs1' | 'pss', data: Buffer, signature: Uint8Array): boolean =>
  nodeVerify(
    hash,
    data,
    scheme === 'pss'
      ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
      : { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
    signature,
  );

describe('GetPublicKey', () => {
  it('returns the DER SubjectPublicKeyInfo with the key ARN, spec, usage and signing algorithms', async () => {
    const response = await fixture.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    expect(response).toMatchObject({
      KeyId: key.Arn,
      KeySpec: 'RSA_2048',
      CustomerMasterKeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ALGORITHMS.map(([spec]) => spec),
    });
    expect(response.EncryptionAlgorithms).toBeUndefined();
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
  });
});

describe.each(ALGORITHMS)('Sign and Verify with %s', (algorithm, hash, scheme) => {
  const digest = createHash(hash).update(message).digest();

  it('signs a RAW message with a signature node:crypto verifies against the GetPublicKey key', async () => {
    const response = await sign({ Message: message, SigningAlgorithm: algorithm });
    expect(response.KeyId).toBe(key.Arn);
    expect(response.SigningAlgorithm).toBe(algorithm);
    expect(response.Signature).toHaveLength(256);
    expect(verifiesLocally(hash, scheme, message, response.Signature ?? new Uint8Array())).toBe(true);
    expect(verifiesLocally(hash, scheme, Buffer.from('tampered'), response.Signature ?? new Uint8Array())).toBe(false);
  });

  it('signs a DIGEST so that the signature verifies over the RAW message, locally and in KMS', async () => {
    const { Signature } = await sign({ Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm });
    if (!Signature) throw new Error('no signature');
    expect(verifiesLocally(hash, scheme, message, Signature)).toBe(true);
    const verified = await verify({ Message: message, MessageType: 'RAW', Signature, SigningAlgorithm: algorithm });
    expect(verified).toMatchObject({ KeyId: key.Arn, SignatureValid: true, SigningAlgorithm: algorithm });
  });

  it('verifies as a DIGEST a signature made over the RAW message', async () => {
    const { Signature } = await sign({ Message: message, SigningAlgorithm: algorithm });
    if (!Signature) throw new Error('no signature');
    const verified = await verify({ Message: digest, MessageType: 'DIGEST', Signature, SigningAlgorithm: algorithm });
    expect(verified.SignatureValid).toBe(true);
  });

  it('answers KMSInvalidSignatureException for a signature of another message', async () => {
    const { Signature } = await sign({ Message: Buffer.from('other'), SigningAlgorithm: algorithm });
    if (!Signature) throw new Error('no signature');
    await expect(verify({ Message: message, Signature, SigningAlgorithm: algorithm })).rejects.toBeInstanceOf(KMSInvalidSignatureException);
    await expect(verify({ Message: digest, MessageType: 'DIGEST', Signature, SigningAlgorithm: algorithm })).rejects.toBeInstanceOf(
      KMSInvalidSignatureException,
    );
  });
});

describe('Sign and Verify rules', () => {
  it('gives byte-identical PKCS#1 v1.5 signatures for a RAW message and its DIGEST', async () => {
    const raw = await sign({ Message: message, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
    const digest = createHash('sha256').update(message).digest();
    const fromDigest = await sign({ Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
    expect(Buffer.from(fromDigest.Signature ?? []).equals(Buffer.from(raw.Signature ?? []))).toBe(true);
  });

  it('rejects a signature made with another algorithm on the same key', async () => {
    const { Signature } = await sign({ Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    if (!Signature) throw new Error('no signature');
    await expect(verify({ Message: message, Signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })).rejects.toBeInstanceOf(
      KMSInvalidSignatureException,
    );
  });

  it('rejects a signature made by another key', async () => {
    const other = await fixture.createSigningKey();
    const { Signature } = await sign({ KeyId: other.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    if (!Signature) throw new Error('no signature');
    await expect(verify({ Message: message, Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).rejects.toBeInstanceOf(
      KMSInvalidSignatureException,
    );
  });

  it('accepts a RAW message of 4096 bytes and refuses 4097 with ValidationException', async () => {
    const ok = await sign({ Message: Buffer.alloc(4096, 7), SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    expect(ok.Signature).toHaveLength(256);
    const refused = sign({ Message: Buffer.alloc(4097, 7), SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    await expect(refused).rejects.toBeInstanceOf(KMSServiceException);
    await expect(refused).rejects.toMatchObject({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  });

  it('requires a DIGEST to be exactly as long as the algorithm hash', async () => {
    for (const [length, algorithm] of [
      [31, 'RSASSA_PSS_SHA_256'],
      [33, 'RSASSA_PKCS1_V1_5_SHA_256'],
      [32, 'RSASSA_PSS_SHA_384'],
      [48, 'RSASSA_PKCS1_V1_5_SHA_512'],
    ] as const) {
      await expect(sign({ Message: Buffer.alloc(length, 1), MessageType: 'DIGEST', SigningAlgorithm: algorithm })).rejects.toMatchObject({
        name: 'ValidationException',
        message: `Digest is invalid length for algorithm ${algorithm}.`,
      });
    }
    const ok = await sign({ Message: Buffer.alloc(48, 1), MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PSS_SHA_384' });
    expect(ok.SigningAlgorithm).toBe('RSASSA_PSS_SHA_384');
  });

  it('answers InvalidKeyUsageException for an algorithm the RSA key does not support', async () => {
    for (const algorithm of ['ECDSA_SHA_256', 'SM2DSA', 'ED25519_SHA_512'] as const) {
      await expect(sign({ Message: message, SigningAlgorithm: algorithm })).rejects.toBeInstanceOf(InvalidKeyUsageException);
    }
  });

  it('answers ValidationException for an algorithm name KMS does not know, or none', async () => {
    await expect(sign({ Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_1' as SigningAlgorithmSpec })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(sign({ Message: message, SigningAlgorithm: undefined as unknown as SigningAlgorithmSpec })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'signingAlgorithm' failed to satisfy constraint: Member must not be null"),
    });
  });

  it('answers NotFoundException for an unknown key', async () => {
    const unknown = sign({ KeyId: '00000000-0000-4000-8000-000000000000', Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    await expect(unknown).rejects.toBeInstanceOf(NotFoundException);
  });

  it('stops at DryRunOperationException when DryRun is set and the request would succeed', async () => {
    const dryRun = fixture.kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256', DryRun: true }));
    await expect(dryRun).rejects.toBeInstanceOf(DryRunOperationException);
  });

  it('serves 3072 and 4096 bit keys with signatures as long as their modulus', async () => {
    for (const [keySpec, length] of [
      ['RSA_3072', 384],
      ['RSA_4096', 512],
    ] as const) {
      const big = await fixture.createSigningKey(fixture.kms, keySpec);
      const { Signature } = await sign({ KeyId: big.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_512' });
      expect(Signature).toHaveLength(length);
      const { PublicKey, KeySpec } = await fixture.kms.send(new GetPublicKeyCommand({ KeyId: big.Arn }));
      expect(KeySpec).toBe(keySpec);
      const bigPublicKey = createPublicKey({ key: Buffer.from(PublicKey ?? []), format: 'der', type: 'spki' });
      const options = { key: bigPublicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 };
      expect(nodeVerify('sha512', message, options, Signature ?? new Uint8Array())).toBe(true);
    }
  });

  it('refuses to sign or verify with a disabled key (DisabledException)', async () => {
    // The key state tests cover Sign; this one shows Verify is gated too.
    const disabled = await fixture.createSigningKey();
    const { Signature } = await sign({ KeyId: disabled.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    await fixture.kms.send(new DisableKeyCommand({ KeyId: disabled.KeyId }));
    const verifyDisabled = fixture.kms.send(
      new VerifyCommand({ KeyId: disabled.KeyId, Message: message, Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    await expect(verifyDisabled).rejects.toBeInstanceOf(DisabledException);
  });
});
