import { generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeClientRegistry, type ClientRegistry } from '#shared/clients/client-registry.js';
import { ValidationError, WrongAuthMethod } from '#shared/clients/client-registry-errors.js';
import { thumbprint } from '#shared/clients/client-keys.js';
import { clientKeyPair, jwksOf } from '../support/client-assertions.js';
import { inMemoryClientRepository } from './in-memory-client-repository.js';

/** Registration of private_key_jwt clients (public keys only) and of per-client claims. */
const AUDIENCE = 'urn:oauth-cc:products';
const rsa = clientKeyPair('RS256', 'rsa-1');
const ec = clientKeyPair('ES256', 'ec-1');
const base = { name: 'Key client', scopes: ['products:read'] };

let registry: ClientRegistry;
beforeEach(() => {
  registry = makeClientRegistry({ repository: inMemoryClientRepository(), revocations: { revokeClientTokens: async () => {} }, defaults: { audience: AUDIENCE } });
});

async function issues(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
}

describe('private_key_jwt clients', () => {
  it('registers public RSA and P-256 keys and no secret', async () => {
    const client = await registry.createKeyClient({ ...base, jwks: jwksOf(rsa, ec) });
    expect(client).toMatchObject({ authMethod: 'private_key_jwt', secrets: [] });
    expect(client.jwks?.map((key) => [key.kid, key.kty])).toEqual([['rsa-1', 'RSA'], ['ec-1', 'EC']]);
    // Only the public members are kept, whatever else the file held.
    expect(Object.keys(client.jwks![1]!).sort()).toEqual(['crv', 'kid', 'kty', 'x', 'y']);
  });

  it('derives a missing kid as the RFC 7638 thumbprint', async () => {
    const { kid: _kid, ...withoutKid } = ec.publicJwk;
    const client = await registry.createKeyClient({ ...base, jwks: { keys: [withoutKid] } });
    const jwk = ec.publicJwk as { crv: string; x: string; y: string };
    expect(client.jwks![0]!.kid).toBe(thumbprint({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y }));
  });

  it('derives the RFC 7638 §3.1 example thumbprint', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    expect(thumbprint({ e: 'AQAB', kty: 'RSA', n })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it.each([
    ['a private RSA key', () => ({ keys: [{ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'p' }] }), /private key material \(d, p, q, dp, dq, qi\)/],
    ['a private EC key', () => ({ keys: [{ ...ec.privateKey.export({ format: 'jwk' }), kid: 'p' }] }), /private key material \(d\)/],
    ['a symmetric key', () => ({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }] }), /private key material \(k\)/],
    ['an RSA key of 1024 bits', () => ({ keys: [generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' })] }), /at least 2048 bits \(this one has 1024\)/],
    ['a P-384 key', () => ({ keys: [generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' })] }), /only EC keys on P-256/],
    ['an encryption key', () => ({ keys: [{ ...rsa.publicJwk, use: 'enc' }] }), /use must be "sig"/],
    ['an RSA key for ES256', () => ({ keys: [{ ...rsa.publicJwk, alg: 'ES256' }] }), /RS256 or PS256/],
    ['two keys under one kid', () => ({ keys: [rsa.publicJwk, { ...ec.publicJwk, kid: 'rsa-1' }] }), /names more than one key/],
    ['a bare array', () => [rsa.publicJwk], /must be a JWK Set/],
    ['an empty set', () => ({ keys: [] }), /at least one key/],
    ['a point off the curve', () => ({ keys: [{ ...ec.publicJwk, y: (ec.publicJwk as { x: string }).x }] }), /not a valid P-256 public key/],
  ])('refuses %s', async (_, jwks, message) => {
    expect((await issues(registry.createKeyClient({ ...base, jwks: jwks() }))).join('\n')).toMatch(message);
  });

  it('replaces the keys with set-keys, and refuses keys for a secret client and secrets for a key client', async () => {
    const client = await registry.createKeyClient({ ...base, jwks: jwksOf(rsa) });
    const rotated = await registry.setKeys(client.clientId, jwksOf(rsa, ec));
    expect(rotated.jwks?.map((key) => key.kid)).toEqual(['rsa-1', 'ec-1']);
    expect((await registry.setKeys(client.clientId, jwksOf(ec))).jwks?.map((key) => key.kid)).toEqual(['ec-1']);
    await expect(registry.rotateSecret(client.clientId)).rejects.toBeInstanceOf(WrongAuthMethod);
    await expect(registry.resetSecrets(client.clientId)).rejects.toBeInstanceOf(WrongAuthMethod);
    const secretClient = await registry.createClient(base);
    await expect(registry.setKeys(secretClient.client.clientId, jwksOf(rsa))).rejects.toBeInstanceOf(WrongAuthMethod);
  });

  it('refuses keys for a secret client at registration', async () => {
    expect(await issues(registry.createClient({ ...base, jwks: jwksOf(rsa) }))).toEqual([
      'jwks: only private_key_jwt clients have keys; client_secret_basic clients authenticate with a secret',
    ]);
  });
});

describe('per-client claims', () => {
  it('stores claims at registration and replaces or clears them with set-claims', async () => {
    const { client } = await registry.createClient({ ...base, claims: { tenant: 'acme', env: 'prod' } });
    expect(client.claims).toEqual({ tenant: 'acme', env: 'prod' });
    expect((await registry.setClaims(client.clientId, { team: 'payments' })).claims).toEqual({ team: 'payments' });
    expect((await registry.setClaims(client.clientId, {})).claims).toBeUndefined();
  });

  it.each(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'scope', 'auth_time', 'acr', 'amr', 'groups', 'roles', 'entitlements', 'act', 'may_act', 'cnf', 'clientId', 'ISS'])(
    'refuses the reserved name %s',
    async (name) => {
      expect((await issues(registry.createClient({ ...base, claims: { [name]: 'x' } }))).join('\n')).toMatch(`"${name}" is a reserved claim name`);
    },
  );

  it.each(['x-tenant', 'tenant.id', '1tenant', 'ténant', ''])('refuses %j, which API Gateway cannot carry as a context key', async (name) => {
    expect((await issues(registry.createClient({ ...base, claims: { [name]: 'x' } }))).join('\n')).toMatch('is not a valid claim name');
  });

  it('bounds the number of claims and their total size', async () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`c${i}`, 'v']));
    expect((await issues(registry.createClient({ ...base, claims: many }))).join('\n')).toMatch('at most 20 claims');
    expect((await issues(registry.createClient({ ...base, claims: { big: 'v'.repeat(1022) } }))).join('\n')).toMatch('at most 1024 bytes (got 1025)');
    const { client } = await registry.createClient({ ...base, claims: { big: 'v'.repeat(1021) } });
    expect(client.claims?.big).toHaveLength(1021);
  });
});
