import { createHash, createPublicKey } from 'node:crypto';

/**
 * A client's public signing key as stored (RFC 7517 JWK): only the public members of an RSA or P-256 key,
 * always with a `kid`. Clients authenticate with private_key_jwt (RFC 7523 §2.2) by signing an assertion
 * with the matching private key, which never reaches this server.
 */
type RsaKeyAlg = 'RS256' | 'PS256';

export type StoredJwk =
  | { kid: string; kty: 'RSA'; n: string; e: string; alg?: RsaKeyAlg }
  | { kid: string; kty: 'EC'; crv: 'P-256'; x: string; y: string; alg?: 'ES256' };

/**
 * A stored key as read back from the clients table: the shape above, unknown members dropped, or the names
 * of the members that are wrong (registered-client.ts reports them by path, never by value).
 */
export function readStoredJwk(value: unknown): StoredJwk | { wrong: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { wrong: [''] };
  const jwk = value as Record<string, unknown>;
  const filled = (name: string) => typeof jwk[name] === 'string' && jwk[name] !== '';
  const wrong = (names: string[]) => names.filter((name) => !filled(name));
  if (jwk.kty === 'RSA') {
    const missing = wrong(['kid', 'n', 'e']);
    if (jwk.alg !== undefined && jwk.alg !== 'RS256' && jwk.alg !== 'PS256') missing.push('alg');
    if (missing.length > 0) return { wrong: missing };
    const key: StoredJwk = { kid: jwk.kid as string, kty: 'RSA', n: jwk.n as string, e: jwk.e as string };
    if (jwk.alg !== undefined) key.alg = jwk.alg as RsaKeyAlg;
    return key;
  }
  if (jwk.kty === 'EC') {
    const missing = wrong(['kid', 'x', 'y']);
    if (jwk.crv !== 'P-256') missing.push('crv');
    if (jwk.alg !== undefined && jwk.alg !== 'ES256') missing.push('alg');
    if (missing.length > 0) return { wrong: missing };
    const key: StoredJwk = { kid: jwk.kid as string, kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string };
    if (jwk.alg !== undefined) key.alg = 'ES256';
    return key;
  }
  return { wrong: ['kty'] };
}

/** Keys per client: enough for rotation (old + new) with room for a few signers; bounds the work per request. */
export const MAX_KEYS_PER_CLIENT = 5;
/** RFC 8725 §3.5 / NIST SP 800-131A: RSA keys below 2048 bits are refused. */
export const MIN_RSA_MODULUS_BITS = 2048;
/** Keys longer than this add verification cost and nothing else; RSA 4096 is the largest in common use. */
const MAX_RSA_MODULUS_BITS = 8192;
const MAX_KID_LENGTH = 128;

/**
 * RFC 7517 §6.2.2 / §6.3.2 and §6.4: members that only a private (or symmetric) key has. A JWK Set that
 * carries one of them was exported from the wrong side; the server must never store such material.
 */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * Validates a JWK Set (RFC 7517 §5) of a client's public keys and returns them as stored: RSA of at least
 * 2048 bits or EC P-256, public members only, each with its `kid` or, without one, its RFC 7638 thumbprint.
 * Returns the problems instead when there are any, each naming the key by its position.
 */
export function parsePublicJwks(input: unknown): { keys: StoredJwk[] } | { problems: string[] } {
  const set = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  if (!Array.isArray(set?.keys)) return { problems: ['must be a JWK Set: {"keys": [ … ]} (RFC 7517 §5)'] };
  const raw = set.keys as unknown[];
  if (raw.length === 0) return { problems: ['must hold at least one key'] };
  if (raw.length > MAX_KEYS_PER_CLIENT) return { problems: [`must hold at most ${MAX_KEYS_PER_CLIENT} keys`] };

  const problems: string[] = [];
  const keys: StoredJwk[] = [];
  raw.forEach((entry, index) => {
    const result = parsePublicJwk(entry);
    if (typeof result === 'string') problems.push(`keys[${index}]: ${result}`);
    else keys.push(result);
  });
  const kids = keys.map((key) => key.kid);
  const repeated = kids.filter((kid, index) => kids.indexOf(kid) !== index);
  if (repeated.length > 0) problems.push(`kid ${JSON.stringify(repeated[0])} names more than one key`);
  return problems.length > 0 ? { problems } : { keys };
}

function parsePublicJwk(entry: unknown): StoredJwk | string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'is not a JSON object';
  const jwk = entry as Record<string, unknown>;
  const secret = PRIVATE_MEMBERS.filter((member) => member in jwk);
  if (secret.length > 0) return `holds private key material (${secret.join(', ')}); register the public key only`;
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'use must be "sig" when present (RFC 7517 §4.2)';
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.every((op) => op === 'verify'))) {
    return 'key_ops may only be ["verify"] (RFC 7517 §4.3)';
  }
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || jwk.kid === '' || jwk.kid.length > MAX_KID_LENGTH)) {
    return `kid must be a string of 1–${MAX_KID_LENGTH} characters`;
  }

  if (jwk.kty === 'RSA') {
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return 'an RSA key needs n and e';
    if (jwk.alg !== undefined && jwk.alg !== 'RS256' && jwk.alg !== 'PS256') return 'alg of an RSA key must be RS256 or PS256';
    const bits = modulusBits(jwk.n);
    if (bits < MIN_RSA_MODULUS_BITS) return `RSA keys must have at least ${MIN_RSA_MODULUS_BITS} bits (this one has ${bits})`;
    if (bits > MAX_RSA_MODULUS_BITS) return `RSA keys may have at most ${MAX_RSA_MODULUS_BITS} bits`;
    const members = { kty: 'RSA' as const, n: jwk.n, e: jwk.e };
    if (!isUsableKey(members)) return 'is not a valid RSA public key';
    // RFC 7638 §3.2: the required members, in lexicographic order, without whitespace.
    const kid = typeof jwk.kid === 'string' ? jwk.kid : thumbprint({ e: jwk.e, kty: 'RSA', n: jwk.n });
    return { kid, ...members, ...(jwk.alg === undefined ? {} : { alg: jwk.alg }) };
  }
  if (jwk.kty === 'EC') {
    if (jwk.crv !== 'P-256') return 'only EC keys on P-256 are accepted (ES256)';
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return 'an EC key needs x and y';
    if (jwk.alg !== undefined && jwk.alg !== 'ES256') return 'alg of a P-256 key must be ES256';
    const members = { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x, y: jwk.y };
    if (!isUsableKey(members)) return 'is not a valid P-256 public key';
    const kid = typeof jwk.kid === 'string' ? jwk.kid : thumbprint({ crv: 'P-256', kty: 'EC', x: jwk.x, y: jwk.y });
    return { kid, ...members, ...(jwk.alg === undefined ? {} : { alg: 'ES256' as const }) };
  }
  return 'kty must be "RSA" or "EC" (RS256, PS256, ES256); symmetric keys are never accepted';
}

/** RFC 7638 §3.1: base64url SHA-256 of the canonical JSON of the required members. */
export function thumbprint(required: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(required), 'utf8').digest('base64url');
}

function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  const first = bytes.findIndex((byte) => byte !== 0);
  if (first < 0) return 0;
  return (bytes.length - first) * 8 - Math.clz32(bytes[first] as number) + 24;
}

/** node:crypto parses the key exactly as it will when verifying; a point off the curve fails here. */
function isUsableKey(jwk: Record<string, string>): boolean {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}
