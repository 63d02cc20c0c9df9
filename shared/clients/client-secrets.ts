import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { MAX_SECRETS_PER_CLIENT, type StoredSecret } from './registered-client.js';

/**
 * Client secrets are generated here, never chosen by people: 256 random bits, base64url.
 * With that much entropy a single SHA-256 is preimage-proof, so a slow KDF (bcrypt, scrypt, argon2)
 * would add tens of milliseconds to every token request without adding safety (docs/threats.md, "Secret hashing").
 */
const SECRET_BYTES = 32;
const HASH_PREFIX = 'sha256:';

export function generateClientSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * 128 random bits as hex: nothing to encode in a Basic header or a URL, and never a leading '-' that a
 * command line would read as an option (`npm run clients -- disable <id>`).
 */
export function generateClientId(): string {
  return randomBytes(16).toString('hex');
}

/** The shape of every id generateClientId makes; no generated secret (43 base64url characters) has it. */
export function isGeneratedClientIdShape(text: string): boolean {
  return GENERATED_CLIENT_ID.test(text);
}

const GENERATED_CLIENT_ID = /^[0-9a-f]{32}$/;

export function generateSecretId(): string {
  return randomUUID();
}

export function hashClientSecret(secret: string): string {
  return HASH_PREFIX + digest(secret).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The two operations matching a secret is made of. A port so that tests can count them: timing cannot show
 * a missing hash or comparison of a microsecond, a count of the work done can.
 */
export interface SecretHashing {
  digest(secret: string): Buffer;
  /** Must take the same time whatever the contents: crypto.timingSafeEqual (RFC 6819 §5.1.4.2.2). */
  equal(a: Buffer, b: Buffer): boolean;
}

export const sha256Hashing: SecretHashing = { digest, equal: timingSafeEqual };

// Compared against when a client is unknown or has fewer secrets, so every attempt costs the same.
const DECOY_HASH = digest(randomBytes(SECRET_BYTES).toString('base64url'));

function storedDigest(secret: StoredSecret | undefined): Buffer {
  if (secret === undefined || !secret.hash.startsWith(HASH_PREFIX)) return DECOY_HASH;
  const bytes = Buffer.from(secret.hash.slice(HASH_PREFIX.length), 'base64url');
  return bytes.length === DECOY_HASH.length ? bytes : DECOY_HASH;
}

/** Which of a client's secrets `presented` is: a live one, only an expired one, or none. */
export type SecretMatch = 'active' | 'expired' | 'none';

/**
 * Always hashes once and runs MAX_SECRETS_PER_CLIENT constant-time comparisons, whether the client
 * exists, has one secret or two, so timing does not tell an unknown client from a wrong or expired
 * secret (RFC 6819 §5.1.4.2.2 / RFC 9700 §4.1). Telling expired from wrong is for the log only.
 */
export function matchSecret(presented: string, secrets: readonly StoredSecret[], now: Date, hashing: SecretHashing = sha256Hashing): SecretMatch {
  const presentedDigest = hashing.digest(presented);
  let active = false;
  let expired = false;
  for (let slot = 0; slot < MAX_SECRETS_PER_CLIENT; slot++) {
    const secret = secrets[slot];
    const equal = hashing.equal(presentedDigest, storedDigest(secret));
    const live = secret !== undefined && (secret.expiresAt === undefined || Date.parse(secret.expiresAt) > now.getTime());
    active = (equal && live) || active;
    expired = (equal && secret !== undefined && !live) || expired;
  }
  return active ? 'active' : expired ? 'expired' : 'none';
}

/** True when `presented` matches a secret that has not expired; same cost as matchSecret. */
export function matchesActiveSecret(presented: string, secrets: readonly StoredSecret[], now: Date): boolean {
  return matchSecret(presented, secrets, now) === 'active';
}
