import { constants, createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { JWT_BEARER_ASSERTION_TYPE } from '#shared/client-auth/client-credentials.js';
import { MAX_ASSERTION_LIFETIME_SECONDS } from '#shared/client-auth/client-authentication.js';
import { thumbprint, type StoredJwk } from '#shared/clients/client-keys.js';
import type { AssertionAlg } from './args.js';
import { UsageError } from './args.js';

/** A fresh RFC 7523 §2.2 client assertion, as a client would make it, for curl and Postman. */
export interface MadeAssertion {
  clientAssertionType: typeof JWT_BEARER_ASSERTION_TYPE;
  clientAssertion: string;
  clientId: string;
  audience: string;
  kid: string;
  alg: AssertionAlg;
  expiresAt: number;
}

/** One minute: long enough to paste into Postman, far below what the server accepts. */
const LIFETIME_SECONDS = 60;

/** Reads a private key as a JWK (with `d`) or as PEM (PKCS #8, PKCS #1 or SEC 1). */
export function readPrivateKey(text: string, file: string): { key: KeyObject; kid?: string } {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as Record<string, unknown>;
      if (typeof jwk.d !== 'string') throw new UsageError(`${file} holds a public key; --key needs the private key the client signs with`);
      const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
      return typeof jwk.kid === 'string' ? { key, kid: jwk.kid } : { key };
    }
    return { key: createPrivateKey(trimmed) };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file} is not a private key (JWK or PEM): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The registered key that `key` is the private half of, found by its public members. */
export function registeredKeyFor(key: KeyObject, registered: readonly StoredJwk[]): StoredJwk | undefined {
  const publicJwk = publicHalf(key).export({ format: 'jwk' }) as Record<string, string>;
  return registered.find((stored) =>
    stored.kty === 'RSA' ? stored.n === publicJwk.n && stored.e === publicJwk.e : stored.x === publicJwk.x && stored.y === publicJwk.y,
  );
}

/** RFC 7638 thumbprint of the public half, the kid a key registered without one was given. */
export function derivedKid(key: KeyObject): string {
  const jwk = publicHalf(key).export({ format: 'jwk' }) as Record<string, string>;
  return jwk.kty === 'RSA' ? thumbprint({ e: jwk.e!, kty: 'RSA', n: jwk.n! }) : thumbprint({ crv: jwk.crv!, kty: 'EC', x: jwk.x!, y: jwk.y! });
}

function publicHalf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}

export function makeClientAssertion(options: {
  key: KeyObject;
  kid: string;
  alg: AssertionAlg;
  clientId: string;
  audience: string;
  now: Date;
  /** 60 s unless asked; never beyond what the token endpoint accepts. */
  lifetimeSeconds?: number;
}): MadeAssertion {
  const { key, kid, alg, clientId, audience } = options;
  const iat = Math.floor(options.now.getTime() / 1000);
  const exp = iat + Math.min(options.lifetimeSeconds ?? LIFETIME_SECONDS, MAX_ASSERTION_LIFETIME_SECONDS);
  const header = { alg, typ: 'JWT', kid };
  // RFC 7523 §3: iss and sub the client id, aud the server, exp soon, jti unique (single use).
  const claims = { iss: clientId, sub: clientId, aud: audience, iat, exp, jti: randomUUID() };
  const signingInput = `${segment(header)}.${segment(claims)}`;
  const input = Buffer.from(signingInput, 'ascii');
  const signature =
    alg === 'ES256'
      ? sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' })
      : alg === 'PS256'
        ? sign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
        : sign('sha256', input, key);
  return {
    clientAssertionType: JWT_BEARER_ASSERTION_TYPE,
    clientAssertion: `${signingInput}.${signature.toString('base64url')}`,
    clientId,
    audience,
    kid,
    alg,
    expiresAt: exp,
  };
}

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
