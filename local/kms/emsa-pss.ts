import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HashName } from './signing-algorithms.js';

/**
 * EMSA-PSS encoding and verification (RFC 8017 §9.1) over an already computed message hash.
 * Node can only sign PSS over a message it hashes itself, but KMS's MessageType DIGEST hands us
 * the hash, so the encoding is done here and the raw RSA primitive applied by the caller.
 * MGF1 uses the same hash as the message, and the salt is as long as the hash, as in KMS.
 */

const hash = (name: HashName, ...parts: Uint8Array[]): Buffer => {
  const h = createHash(name);
  for (const part of parts) h.update(part);
  return h.digest();
};

/** RFC 8017 §B.2.1 */
function mgf1(name: HashName, seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, produced = 0; produced < length; i += 1) {
    counter.writeUInt32BE(i);
    const block = hash(name, seed, counter);
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

// M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt, RFC 8017 §9.1.1 step 5.
const EIGHT_ZEROS = Buffer.alloc(8);

/** Mask for the bits of the leading octet that lie above emBits (RFC 8017 §9.1.1 step 11). */
const leadingMask = (emLength: number, emBits: number): number => 0xff >> (8 * emLength - emBits);

/** RFC 8017 §9.1.1 EMSA-PSS-ENCODE; `emBits` is modBits - 1 for RSASSA-PSS-SIGN. */
export function emsaPssEncode(name: HashName, mHash: Uint8Array, emBits: number, salt = randomBytes(mHash.length)): Buffer {
  const hLen = mHash.length;
  const sLen = salt.length;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new Error('encoding error: modulus too short for hash and salt');

  const h = hash(name, EIGHT_ZEROS, mHash, salt);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - sLen - hLen - 2] = 0x01;
  salt.forEach((byte, i) => (db[emLen - sLen - hLen - 1 + i] = byte));

  const mask = mgf1(name, h, db.length);
  for (let i = 0; i < db.length; i += 1) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & leadingMask(emLen, emBits);

  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** RFC 8017 §9.1.2 EMSA-PSS-VERIFY with the salt length fixed to the hash length. */
export function emsaPssVerify(name: HashName, mHash: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = mHash.length;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;

  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = leadingMask(emLen, emBits);
  if (((maskedDb[0] ?? 0) & ~topMask & 0xff) !== 0) return false;

  const mask = mgf1(name, h, maskedDb.length);
  const db = Buffer.from(maskedDb.map((byte, i) => byte ^ (mask[i] ?? 0)));
  db[0] = (db[0] ?? 0) & topMask;

  const separator = emLen - hLen - sLen - 2;
  if (!db.subarray(0, separator).every((byte) => byte === 0) || db[separator] !== 0x01) return false;

  const salt = db.subarray(db.length - sLen);
  return timingSafeEqual(h, hash(name, EIGHT_ZEROS, mHash, salt));
}
