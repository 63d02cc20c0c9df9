import { describe, expect, it } from 'vitest';
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { onceSucceeded } from '#shared/async/once-succeeded.js';
import { loadVerificationKeys, type PublicKeySource, type VerificationKey } from '#shared/keys/verification-key.js';
import { issuerFromMethodArn } from '#shared/oauth/issuer.js';
import { makeDiscoveryApi } from '../../functions/discovery/discovery-api.js';
import { AUDIENCE, ISSUER, accessTokenClaims, generateTestKey, signAccessToken } from '../support/access-token-fixtures.js';
import { recordingLogger } from '../support/recording-logger.js';

const active = generateTestKey();
const previous = generateTestKey();
const SCOPES = ['products:read', 'products:write', 'products:delete'];

/** The stage ISSUER (test/support/access-token-fixtures.ts) names: API abc123defg, stage v1, in REGION. */
const REGION = 'eu-west-1';
const STAGE_CONTEXT = { apiId: 'abc123defg', domainName: 'abc123defg.execute-api.eu-west-1.amazonaws.com', stage: 'v1' };

function event(resource: string, requestContext: Record<string, unknown> = STAGE_CONTEXT) {
  return { resource, path: resource, httpMethod: 'GET', headers: {}, requestContext } as unknown as APIGatewayProxyEvent;
}

function api(options: { keys?: () => Promise<readonly VerificationKey[]>; issuer?: string; region?: string | undefined } = {}) {
  const log = recordingLogger();
  const handle = makeDiscoveryApi({
    loadKeys: options.keys ?? (async () => [active.verificationKey, previous.verificationKey]),
    issuer: options.issuer,
    region: 'region' in options ? options.region : REGION,
    scopesSupported: SCOPES,
    logger: log.logger,
  });
  return { handle, log };
}

const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

describe('GET /.well-known/jwks.json (RFC 7517)', () => {
  it('publishes every verification key with only its public members', async () => {
    const result = await api().handle(event('/.well-known/jwks.json'));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
    const { keys } = json(result) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    }
    expect(keys.map((key) => key.kid)).toEqual([active.kid, previous.kid]);
  });

  it('names each key by its RFC 7638 thumbprint, as computed independently by jose', async () => {
    const { keys } = json(await api().handle(event('/.well-known/jwks.json'))) as { keys: { kid: string; kty: 'RSA'; n: string; e: string }[] };
    for (const key of keys) expect(key.kid).toBe(await calculateJwkThumbprint({ kty: key.kty, n: key.n, e: key.e }, 'sha256'));
  });

  it('lets a relying party verify our tokens with nothing but the published set', async () => {
    const jwks = json(await api().handle(event('/.well-known/jwks.json'))) as unknown as Parameters<typeof createLocalJWKSet>[0];
    const keySet = createLocalJWKSet(jwks);
    for (const key of [active, previous]) {
      const now = Math.floor(Date.now() / 1000);
      const token = await signAccessToken(key, { now });
      const { payload, protectedHeader } = await jwtVerify(token, keySet, { issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt', algorithms: ['RS256'] });
      expect(protectedHeader.kid).toBe(key.kid);
      // Exactly the claims signed: jose read this key's signature over them from the published set alone.
      expect(payload).toEqual(accessTokenClaims(now));
    }
    const stranger = generateTestKey();
    await expect(jwtVerify(await signAccessToken(stranger, { now: Math.floor(Date.now() / 1000) }), keySet)).rejects.toThrow();
  });

  it('lists a key configured twice once', async () => {
    const result = await api({ keys: async () => [active.verificationKey, active.verificationKey] }).handle(event('/.well-known/jwks.json'));
    expect((json(result) as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('answers 503 with Retry-After while KMS is unreachable, and recovers on the next request', async () => {
    let calls = 0;
    const flakyKms: PublicKeySource = {
      async getPublicKey() {
        calls++;
        if (calls === 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return active.spki;
      },
    };
    const { handle, log } = api({ keys: onceSucceeded(() => loadVerificationKeys(flakyKms, [active.keyId])) });

    const failed = await handle(event('/.well-known/jwks.json'));
    expect(failed.statusCode).toBe(503);
    expect(failed.headers?.['Retry-After']).toBe('1');
    expect(failed.headers?.['Cache-Control']).toBe('no-store');
    expect(json(failed)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(failed.body).not.toContain('socket');
    expect(log.text()).toContain('TimeoutError');

    const recovered = await handle(event('/.well-known/jwks.json'));
    expect(recovered.statusCode).toBe(200);
    await handle(event('/.well-known/jwks.json'));
    expect(calls).toBe(2);
  });
});

describe('GET /.well-known/oauth-authorization-server (RFC 8414 §2)', () => {
  it('describes a client-credentials-only server under the issuer derived from the request', async () => {
    const result = await api().handle(event('/.well-known/oauth-authorization-server'));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300' });
    expect(json(result)).toEqual({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/oauth2/token`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      scopes_supported: SCOPES,
      response_types_supported: [],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'],
      revocation_endpoint: `${ISSUER}/oauth2/revoke`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      introspection_endpoint: `${ISSUER}/oauth2/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    });
  });

  it('names the stage URL, the issuer the authorizer derives, when the request came through a custom domain', async () => {
    const viaCustomDomain = { ...STAGE_CONTEXT, domainName: 'auth.example.com', domainPrefix: 'auth', path: '/.well-known/oauth-authorization-server' };
    const result = await api().handle(event('/.well-known/oauth-authorization-server', viaCustomDomain));
    expect(json(result)).toMatchObject({ issuer: ISSUER, token_endpoint: `${ISSUER}/oauth2/token` });
    expect(ISSUER).toBe(issuerFromMethodArn(undefined, `arn:aws:execute-api:${REGION}:123456789012:abc123defg/v1/GET/products`));
  });

  it('answers 500 when the issuer must be derived and there is no AWS_REGION', async () => {
    expect((await api({ region: undefined }).handle(event('/.well-known/oauth-authorization-server'))).statusCode).toBe(500);
  });

  it('uses the configured issuer, without a trailing slash, whatever domain the request came through', async () => {
    const result = await api({ issuer: 'https://auth.example.com/' }).handle(event('/.well-known/oauth-authorization-server'));
    expect(json(result)).toMatchObject({
      issuer: 'https://auth.example.com',
      token_endpoint: 'https://auth.example.com/oauth2/token',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
    });
  });

  it('serves the same document at /.well-known/openid-configuration', async () => {
    const { handle } = api();
    const rfc8414 = await handle(event('/.well-known/oauth-authorization-server'));
    const openid = await handle(event('/.well-known/openid-configuration'));
    expect(openid.statusCode).toBe(200);
    expect(openid.body).toBe(rfc8414.body);
  });

  it('does not need KMS', async () => {
    const down = api({ keys: () => Promise.reject(new Error('KMS down')) });
    expect((await down.handle(event('/.well-known/oauth-authorization-server'))).statusCode).toBe(200);
  });

  it('answers 500, and logs why, when no issuer is configured and the request names no stage', async () => {
    const { handle, log } = api();
    const result = await handle(event('/.well-known/oauth-authorization-server', {}));
    expect(result.statusCode).toBe(500);
    expect(json(result)).toEqual({ error: 'server_error', error_description: 'Internal error' });
    expect(log.text()).toContain('IssuerUnknown');
  });
});

describe('other resources', () => {
  it.each(['/.well-known/other', '/products', '', '/.well-known/jwks.json/', 'constructor', '__proto__'])('answers 404 JSON for %j', async (resource) => {
    const result = await api().handle(event(resource));
    expect(result.statusCode).toBe(404);
    expect(json(result)).toEqual({ error: 'not_found', error_description: 'No such resource' });
  });
});
