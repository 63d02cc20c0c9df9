import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, exportJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackKms } from '../support/kms-tokens.js';
import { accessTokenFor, createTestClient, testStack } from '../support/stack-clients.js';

/**
 * RFC 8414 metadata (and its OpenID-style twin) and the RFC 7517 key set, read the way a relying party
 * reads them: from the well-known URL of the issuer, following jwks_uri, and verifying tokens with two
 * independent libraries configured from nothing but the discovery document.
 */
interface Metadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  scopes_supported: string[];
  response_types_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  revocation_endpoint: string;
  introspection_endpoint: string;
}

interface Jwks {
  keys: Record<string, unknown>[];
}

const kms = stackKms(testStack());
let metadata: Metadata;
let metadataResponse: Response;
let token: string;

beforeAll(async () => {
  // RFC 8414 §3: the well-known path goes between the issuer's host and its path component.
  const issuer = new URL(testStack().issuer);
  metadataResponse = await fetch(new URL(`/.well-known/oauth-authorization-server${issuer.pathname.replace(/\/$/, '')}`, issuer));
  metadata = (await metadataResponse.clone().json()) as Metadata;
  token = await accessTokenFor(await createTestClient({ scopes: ['products:read'] }));
});

afterAll(() => kms.destroy());

describe('authorization server metadata (RFC 8414)', () => {
  it('is served as public, cacheable JSON', () => {
    expect(metadataResponse.status).toBe(200);
    expect(metadataResponse.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(metadataResponse.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('names an issuer identical to the tokens\u2019 iss, without query or fragment (§2, §3.3)', () => {
    const issuer = new URL(metadata.issuer);
    expect(issuer.search).toBe('');
    expect(issuer.hash).toBe('');
    expect(metadata.issuer).toBe(testStack().issuer);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string };
    expect(payload.iss).toBe(metadata.issuer);
  });

  it('describes exactly this server: client credentials only, both secret methods, its scopes', () => {
    expect(metadata).toEqual({
      issuer: testStack().issuer,
      token_endpoint: testStack().tokenEndpoint,
      jwks_uri: testStack().jwksUri,
      scopes_supported: ['products:read', 'products:write', 'products:delete'],
      // REQUIRED by §2; empty because there is no authorization endpoint.
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'],
      revocation_endpoint: testStack().revocationEndpoint,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      introspection_endpoint: testStack().introspectionEndpoint,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    });
  });

  it('serves the same document at /.well-known/openid-configuration', async () => {
    const response = await fetch(new URL('/.well-known/openid-configuration', metadata.issuer));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(metadata);
  });

  it('names a token endpoint that issues tokens', async () => {
    const client = await createTestClient({ scopes: ['products:read'] });
    const response = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    });
    expect(response.status).toBe(200);
  });
});

describe('the key set at jwks_uri (RFC 7517)', () => {
  it('holds only public RS256 signing keys, each under its RFC 7638 thumbprint', async () => {
    const response = await fetch(metadata.jwks_uri);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    const jwks = (await response.json()) as Jwks;
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key.n as string, e: key.e as string }, 'sha256'));
    }
  });

  it('publishes exactly the keys KMS holds for the stack\u2019s verification key ids, the signing key among them', async () => {
    const jwks = (await (await fetch(metadata.jwks_uri)).json()) as Jwks;
    const expected = await Promise.all(
      testStack().verifyKeyIds.map(async (keyId) => {
        const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
        const jwk = await exportJWK(createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }));
        return { kid: await calculateJwkThumbprint(jwk, 'sha256'), n: jwk.n, e: jwk.e };
      }),
    );
    expect(jwks.keys.map(({ kid, n, e }) => ({ kid, n, e }))).toEqual(expected);
    expect(jwks.keys.map(({ kid }) => kid)).toContain(decodeProtectedHeader(token).kid);
  });
});

describe('relying parties configured from the discovery document', () => {
  it('verify a token with jose\u2019s createRemoteJWKSet on jwks_uri', async () => {
    const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
    const { payload } = await jwtVerify(token, keys, { issuer: metadata.issuer, audience: testStack().audience, algorithms: ['RS256'], typ: 'at+jwt' });
    expect(payload.scope).toBe('products:read');
    const [head, body, signature] = token.split('.') as [string, string, string];
    await expect(jwtVerify(`${head}.${body}.${signature.slice(0, -4)}AAAA`, keys, { issuer: metadata.issuer })).rejects.toThrow(/signature/);
  });

  it('verify a token with aws-jwt-verify\u2019s JwtRsaVerifier on jwks_uri', async () => {
    // aws-jwt-verify fetches over node:https only; the local issuer is plain http, so the JWKS is fetched
    // through a fetcher of our own, still from the jwks_uri the document names.
    const jwksCache = new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });
    const verifier = JwtRsaVerifier.create({ issuer: metadata.issuer, audience: testStack().audience, jwksUri: metadata.jwks_uri }, { jwksCache });
    const payload = await verifier.verify(token);
    expect(payload).toMatchObject({ iss: metadata.issuer, aud: testStack().audience, scope: 'products:read' });

    const other = JwtRsaVerifier.create({ issuer: metadata.issuer, audience: 'https://reports.example/api', jwksUri: metadata.jwks_uri }, { jwksCache });
    await expect(other.verify(token)).rejects.toThrow(/audience/i);
  });
});
