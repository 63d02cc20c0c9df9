import { constants, createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rsaSign, rsaVerify } from '../../local/kms/rsa-signature.js';
import { RSA_SIGNING_ALGORITHMS, type RsaSigningAlgorithm } from '../../local/kms/signing-algorithms.js';

const keyPair = (modulusLength: number) => generateKeyPairSync('rsa', { modulusLength });
const { privateKey, publicKey } = keyPair(2048);
const message = Buffer.from('header.payload of a token that KMS is asked to sign');
const digestOf = (algorithm: RsaSigningAlgorithm, data: Buffer) => createHash(algorithm.hash).update(data).digest();

// Independent reference: node:crypto's own RSASSA implementation, salt = hash length as in KMS.
const nodeOptions = (key: KeyObject, algorithm: RsaSigningAlgorithm, saltLength = algorithm.digestLength) =>
  algorithm.scheme === 'PSS' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } : { key, padding: constants.RSA_PKCS1_PADDING };

describe.each(RSA_SIGNING_ALGORITHMS.map((algorithm) => [algorithm.spec, algorithm] as const))('%s', (_spec, algorithm) => {
  it('signs a DIGEST so that node:crypto verifies it over the RAW message', () => {
    const signature = rsaSign(privateKey, algorithm, digestOf(algorithm, message), 'DIGEST');
    expect(signature).toHaveLength(256);
    expect(verify(algorithm.hash, message, nodeOptions(publicKey, algorithm), signature)).toBe(true);
    expect(verify(algorithm.hash, Buffer.from('another message'), nodeOptions(publicKey, algorithm), signature)).toBe(false);
  });

  it('verifies as a DIGEST a signature node:crypto made over the RAW message', () => {
    const signature = sign(algorithm.hash, message, nodeOptions(privateKey, algorithm));
    expect(rsaVerify(publicKey, algorithm, digestOf(algorithm, message), 'DIGEST', signature)).toBe(true);
    expect(rsaVerify(publicKey, algorithm, message, 'RAW', signature)).toBe(true);
  });

  it('rejects a signature over another message, a flipped bit, a wrong length and s >= n', () => {
    const signature = rsaSign(privateKey, algorithm, message, 'RAW');
    const digest = digestOf(algorithm, message);
    const flipped = Buffer.from(signature);
    flipped[100] = (flipped[100] ?? 0) ^ 0x01;
    for (const type of ['RAW', 'DIGEST'] as const) {
      const input = type === 'RAW' ? message : digest;
      expect(rsaVerify(publicKey, algorithm, input, type, signature)).toBe(true);
      expect(rsaVerify(publicKey, algorithm, input, type, flipped)).toBe(false);
      expect(rsaVerify(publicKey, algorithm, input, type, signature.subarray(1))).toBe(false);
      expect(rsaVerify(publicKey, algorithm, input, type, Buffer.alloc(256, 0xff))).toBe(false);
    }
    expect(rsaVerify(publicKey, algorithm, digestOf(algorithm, Buffer.from('other')), 'DIGEST', signature)).toBe(false);
  });
});

describe('RSASSA-PKCS1-v1_5', () => {
  it('produces the identical (deterministic) signature for RAW and for its DIGEST', () => {
    for (const algorithm of RSA_SIGNING_ALGORITHMS.filter((a) => a.scheme === 'PKCS1_V1_5')) {
      const raw = rsaSign(privateKey, algorithm, message, 'RAW');
      expect(rsaSign(privateKey, algorithm, digestOf(algorithm, message), 'DIGEST').equals(raw)).toBe(true);
    }
  });

  it('does not accept a signature made with another hash (DigestInfo is checked)', () => {
    const [sha256, sha384] = RSA_SIGNING_ALGORITHMS.filter((a) => a.scheme === 'PKCS1_V1_5');
    if (!sha256 || !sha384) throw new Error('algorithms missing');
    const signature = rsaSign(privateKey, sha384, message, 'RAW');
    expect(rsaVerify(publicKey, sha256, digestOf(sha256, message), 'DIGEST', signature)).toBe(false);
  });
});

describe('RSASSA-PSS', () => {
  const pss = RSA_SIGNING_ALGORITHMS.filter((a) => a.scheme === 'PSS');

  it('uses a fresh salt, so two signatures of one digest differ yet both verify', () => {
    for (const algorithm of pss) {
      const digest = digestOf(algorithm, message);
      const first = rsaSign(privateKey, algorithm, digest, 'DIGEST');
      const second = rsaSign(privateKey, algorithm, digest, 'DIGEST');
      expect(first.equals(second)).toBe(false);
      expect(rsaVerify(publicKey, algorithm, message, 'RAW', first)).toBe(true);
      expect(rsaVerify(publicKey, algorithm, message, 'RAW', second)).toBe(true);
    }
  });

  it('rejects signatures whose salt is not as long as the hash, as KMS does', () => {
    for (const algorithm of pss) {
      for (const saltLength of [0, algorithm.digestLength - 1, algorithm.digestLength + 1]) {
        const signature = sign(algorithm.hash, message, nodeOptions(privateKey, algorithm, saltLength));
        expect(verify(algorithm.hash, message, nodeOptions(publicKey, algorithm, saltLength), signature)).toBe(true);
        expect(rsaVerify(publicKey, algorithm, message, 'RAW', signature)).toBe(false);
        expect(rsaVerify(publicKey, algorithm, digestOf(algorithm, message), 'DIGEST', signature)).toBe(false);
      }
    }
  });

  it('handles a modulus whose bit length is 1 mod 8 (encoded message one octet shorter than the modulus)', () => {
    // RFC 8017 §9.1.1: emLen = ceil((modBits - 1) / 8), which is k - 1 for a 1025-bit modulus.
    const odd = keyPair(1025);
    expect(odd.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1025);
    // SHA-512 needs emLen >= 2 * 64 + 2 = 130 octets, more than this modulus offers.
    for (const algorithm of pss.filter((a) => a.digestLength <= 48)) {
      const signature = rsaSign(odd.privateKey, algorithm, digestOf(algorithm, message), 'DIGEST');
      expect(signature).toHaveLength(129);
      expect(verify(algorithm.hash, message, nodeOptions(odd.publicKey, algorithm), signature)).toBe(true);
      const reference = sign(algorithm.hash, message, nodeOptions(odd.privateKey, algorithm));
      expect(rsaVerify(odd.publicKey, algorithm, digestOf(algorithm, message), 'DIGEST', reference)).toBe(true);
    }
  });
});
