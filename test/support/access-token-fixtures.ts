import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { verificationKeyFromSpki, type VerificationKey } from '#shared/keys/verification-key.js';

/** Real RSA keys and real RS256 signatures: nothing in the authorizer tests passes by accident. */
export interface TestKey {
  keyId: string;
  kid: string;
  privateKey: KeyObject;
  verificationKey: VerificationKey;
  spki: Uint8Array;
}

export function generateTestKey(keyId = `arn:aws:kms:eu-west-1:111122223333:key/${crypto.randomUUID()}`): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const verificationKey = verificationKeyFromSpki(keyId, spki);
  return { keyId, kid: verificationKey.kid, privateKey, verificationKey, spki };
}

export const ISSUER = 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1';
export const AUDIENCE = 'urn:oauth-cc:products';
export const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:111122223333:abc123defg/v1/GET/products';
export const STAGE_ARN = 'arn:aws:execute-api:eu-west-1:111122223333:abc123defg/v1';
/** A fixed "now" (seconds) for verifiers built with a pinned clock. */
export const NOW = 1_750_000_000;
export const CLIENT_ID = 'c0ffee-client';

/** The claims the token endpoint issues (RFC 9068 §2.2), valid at NOW. */
export function accessTokenClaims(now = NOW): JWTPayload & Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: CLIENT_ID,
    client_id: CLIENT_ID,
    aud: AUDIENCE,
    scope: 'products:read products:write',
    iat: now,
    exp: now + 3600,
    jti: 'f4c1b0f0-8d1e-4c55-9d7b-6c1f3f0e2a11',
  };
}

export interface TokenShape {
  /** Replaces or (with undefined) removes claims. */
  claims?: Record<string, unknown>;
  /** Replaces or (with undefined) removes header parameters. */
  header?: Record<string, unknown>;
  now?: number;
}

/** A token exactly as the token endpoint makes it, signed with jose, then reshaped as asked. */
export async function signAccessToken(key: TestKey, shape: TokenShape = {}): Promise<string> {
  const claims = withoutUndefined({ ...accessTokenClaims(shape.now), ...shape.claims });
  const header = withoutUndefined({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...shape.header });
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}

export type Signer = (signingInput: string) => string;

/** For hostile tokens jose refuses to make: any header, any payload bytes, any signature. */
export function signByHand(header: object, payload: object | string, signer: Signer): string {
  const encodedPayload = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signingInput = `${b64url(JSON.stringify(header))}.${encodedPayload}`;
  return `${signingInput}.${signer(signingInput)}`;
}

export const rs256 =
  (privateKey: KeyObject): Signer =>
  (input) =>
    sign('sha256', Buffer.from(input), privateKey).toString('base64url');

export const hs256 =
  (secret: string | Buffer): Signer =>
  (input) =>
    createHmac('sha256', secret).update(input).digest('base64url');

export const unsigned: Signer = () => '';

export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
