import { constants, privateEncrypt, publicDecrypt, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { emsaPssEncode, emsaPssVerify } from './emsa-pss.js';
import type { HashName, RsaSigningAlgorithm } from './signing-algorithms.js';

/**
 * RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017 §8) as KMS applies them. RAW messages go through
 * node:crypto, which hashes them itself. DIGEST messages are the hash already, and must yield
 * exactly the signature the RAW message would, so the encoding step is done here and only the
 * RSA primitive is left to OpenSSL.
 */

export type MessageType = 'RAW' | 'DIGEST';

/** RFC 8017 §9.2 note 1: DER of DigestInfo up to the digest octets. */
const DIGEST_INFO_PREFIX: Record<HashName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const modulusBits = (key: KeyObject): number => {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new Error('not an RSA key');
  return bits;
};

const modulusBytes = (key: KeyObject): number => Math.ceil(modulusBits(key) / 8);

// KMS fixes the PSS salt to the hash length; DIGEST makes OpenSSL enforce it when verifying too.
const nodeOptions = (key: KeyObject, algorithm: RsaSigningAlgorithm) =>
  algorithm.scheme === 'PSS'
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, padding: constants.RSA_PKCS1_PADDING };

/** Left-pads an encoded message to the modulus length, the input RSA_NO_PADDING expects. */
const toModulusLength = (em: Buffer, length: number): Buffer => Buffer.concat([Buffer.alloc(length - em.length), em]);

function signDigest(privateKey: KeyObject, algorithm: RsaSigningAlgorithm, digest: Buffer): Buffer {
  if (algorithm.scheme === 'PKCS1_V1_5') {
    // Private-key "encryption" with PKCS#1 padding is EMSA-PKCS1-v1_5's block type 1 plus RSASP1.
    const digestInfo = Buffer.concat([DIGEST_INFO_PREFIX[algorithm.hash], digest]);
    return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  }
  const em = emsaPssEncode(algorithm.hash, digest, modulusBits(privateKey) - 1);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, toModulusLength(em, modulusBytes(privateKey)));
}

function verifyDigest(publicKey: KeyObject, algorithm: RsaSigningAlgorithm, digest: Buffer, signature: Buffer): boolean {
  // RFC 8017 §8.1.2 / §8.2.2 step 1: the signature is exactly k octets.
  if (signature.length !== modulusBytes(publicKey)) return false;
  if (algorithm.scheme === 'PKCS1_V1_5') {
    const expected = Buffer.concat([DIGEST_INFO_PREFIX[algorithm.hash], digest]);
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  }
  const emBits = modulusBits(publicKey) - 1;
  const m = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  const emLength = Math.ceil(emBits / 8);
  const excess = m.subarray(0, m.length - emLength);
  if (!excess.every((byte) => byte === 0)) return false;
  return emsaPssVerify(algorithm.hash, digest, m.subarray(m.length - emLength), emBits);
}

/** The caller has already checked the digest length for DIGEST messages. */
export function rsaSign(privateKey: KeyObject, algorithm: RsaSigningAlgorithm, message: Buffer, messageType: MessageType): Buffer {
  return messageType === 'RAW'
    ? sign(algorithm.hash, message, nodeOptions(privateKey, algorithm))
    : signDigest(privateKey, algorithm, message);
}

export function rsaVerify(
  publicKey: KeyObject,
  algorithm: RsaSigningAlgorithm,
  message: Buffer,
  messageType: MessageType,
  signature: Buffer,
): boolean {
  try {
    return messageType === 'RAW'
      ? verify(algorithm.hash, message, nodeOptions(publicKey, algorithm), signature)
      : verifyDigest(publicKey, algorithm, message, signature);
  } catch {
    // OpenSSL throws on signatures that are not even well-formed (e.g. s >= n, bad padding).
    return false;
  }
}
