import { constants, createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { JWT_BEARER_ASSERTION_TYPE } from '#shared/client-auth/client-credentials.js';

/** A client's key pair, as a real client would hold it: the private key here, the public JWK registered. */
export interface ClientKeyPair {
  kid: string;
  alg: 'RS256' | 'PS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK with its kid, as it goes into `--jwks`. */
  publicJwk: Record<string, unknown>;
}

export function clientKeyPair(alg: ClientKeyPair['alg'], kid = `${alg.toLowerCase()}-${randomUUID()}`): ClientKeyPair {
  const { privateKey, publicKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, alg, privateKey, publicKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

export function jwksOf(...pairs: ClientKeyPair[]): { keys: Record<string, unknown>[] } {
  return { keys: pairs.map((pair) => pair.publicJwk) };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export interface AssertionOptions {
  clientId: string;
  audience: string | string[];
  /** Seconds since the epoch; the system clock when absent. */
  now?: number;
  lifetimeSeconds?: number;
  /** Claims to add, replace, or (with undefined) leave out. */
  claims?: Record<string, unknown>;
  /** Header members to add, replace, or (with undefined) leave out; kid defaults to the key's. */
  header?: Record<string, unknown>;
  /** Sign with this algorithm whatever the header says (a mismatched signature). */
  signAs?: string;
}

/** RFC 7523 §2.2 / §3: a client assertion, signed as RFC 7518 says for the key's algorithm. */
export function clientAssertion(pair: ClientKeyPair, options: AssertionOptions): string {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const header = dropUndefined({ alg: pair.alg, typ: 'JWT', kid: pair.kid, ...options.header });
  const claims = dropUndefined({
    iss: options.clientId,
    sub: options.clientId,
    aud: options.audience,
    iat: now,
    exp: now + (options.lifetimeSeconds ?? 60),
    jti: randomUUID(),
    ...options.claims,
  });
  const signingInput = `${b64(header)}.${b64(claims)}`;
  const alg = options.signAs ?? (typeof header.alg === 'string' ? header.alg : pair.alg);
  return `${signingInput}.${signWith(alg, pair, signingInput).toString('base64url')}`;
}

function signWith(alg: string, pair: ClientKeyPair, signingInput: string): Buffer {
  const input = Buffer.from(signingInput, 'latin1');
  switch (alg) {
    case 'RS256':
      return sign('sha256', input, pair.privateKey);
    case 'PS256':
      return sign('sha256', input, { key: pair.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return sign('sha256', input, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'HS256':
      // The classic key-confusion forgery (RFC 8725 §2.1): HMAC keyed with the server-known public key.
      return createHmac('sha256', pair.publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest();
    case 'RS512':
      return sign('sha512', input, pair.privateKey);
    case 'none':
      return Buffer.alloc(0);
    default:
      throw new Error(`cannot sign with ${alg}`);
  }
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** The RFC 7521 §4.2 body parameters of a client_credentials request authenticated with `assertion`. */
export function assertionForm(assertion: string, params: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: assertion,
    ...params,
  });
}
