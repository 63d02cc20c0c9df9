import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingGateway, type CountingGateway } from '../support/counting-gateway.js';
import { issuedClaims, signWithKmsKey, stackKms } from '../support/kms-tokens.js';
import { waitFor } from '../support/project-process.js';
import { accessTokenFor, basicAuthorization, clientRegistryFor, createTestClient, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * Revocation (RFC 7009), operator cut-offs (revoke-tokens, disable, delete) and introspection (RFC 7662)
 * over real HTTP: the test stack's functions and tables behind gateways of this file's own, one with a
 * two-second authorizer cache so a decision the gateway has cached runs out within the test.
 */
const CACHE_TTL_SECONDS = 2;
/** The bound the README states: at once if uncached, within ReauthorizeEvery if cached (plus a request's time). */
const CACHED_BOUND_MS = CACHE_TTL_SECONDS * 1000 + 3000;

const kms = stackKms(testStack());
let api: CountingGateway;
let outage: CountingGateway;
let owner: TestClient;
let other: TestClient;
let introspector: TestClient;
let plainClient: TestClient;

beforeAll(async () => {
  const broken = { REVOCATIONS_TABLE: 'no-such-revocations-table' };
  [api, outage] = await Promise.all([
    countingGateway({ parameters: { AuthorizerCacheTtlSeconds: String(CACHE_TTL_SECONDS) } }),
    countingGateway({ environment: { AuthorizerFunction: broken, RevocationFunction: broken, IntrospectionFunction: broken } }),
  ]);
  [owner, other, introspector, plainClient] = await Promise.all([
    createTestClient({ name: 'lifecycle owner', scopes: ['products:read'] }),
    createTestClient({ name: 'lifecycle other', scopes: ['products:read'] }),
    createTestClient({ name: 'lifecycle introspector', scopes: ['products:read'], canIntrospect: true }),
    createTestClient({ name: 'lifecycle no introspection', scopes: ['products:read'] }),
  ]);
});

afterAll(async () => {
  await Promise.all([api?.close(), outage?.close()]);
  kms.destroy();
});

const tokenOf = (client: TestClient) => accessTokenFor(client, { scope: 'products:read' });

function products(token: string, gateway = api): Promise<Response> {
  return fetch(gateway.url('/products?limit=1'), { headers: { authorization: `Bearer ${token}` } });
}

function postForm(path: string, client: TestClient, form: Record<string, string>, gateway = api): Promise<Response> {
  return fetch(gateway.url(path), {
    method: 'POST',
    headers: { authorization: basicAuthorization(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

interface EmfRecord {
  _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] };
  [key: string]: unknown;
}

function emfRecords(gateway: CountingGateway, functionId: string): EmfRecord[] {
  return gateway
    .logLines(functionId)
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfRecord);
}

const revoke = (client: TestClient, token: string, gateway = api) => postForm('/oauth2/revoke', client, { token, token_type_hint: 'access_token' }, gateway);
const introspect = (client: TestClient, token: string, gateway = api) => postForm('/oauth2/introspect', client, { token }, gateway);

async function expectRefusedAtOnce(token: string): Promise<void> {
  const response = await products(token);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
}

/** A token the gateway has a cached Allow for: refused once the cache entry runs out, never later than the bound. */
async function expectRefusedWithinCacheBound(token: string): Promise<void> {
  const refused = await waitFor('the gateway to refuse the cached token', async () => ((await products(token)).status === 401 ? true : undefined), CACHED_BOUND_MS, 200);
  expect(refused).toBe(true);
}

/** A fresh token, and one the gateway has already allowed (and cached). */
async function freshAndCached(client: TestClient): Promise<{ fresh: string; cached: string }> {
  const [fresh, cached] = await Promise.all([tokenOf(client), tokenOf(client)]);
  expect((await products(cached)).status).toBe(200);
  return { fresh, cached };
}

/** Client cut-offs cover the whole second they are made in (iat is whole seconds): new tokens wait for the next one. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));

describe('revocation endpoint (RFC 7009)', () => {
  it('revokes a token of the caller: 200 with no body, then 401 at the API — at once, or within the cache TTL if cached', async () => {
    const { fresh, cached } = await freshAndCached(owner);
    for (const token of [fresh, cached]) {
      const response = await revoke(owner, token);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    await expectRefusedAtOnce(fresh);
    await expectRefusedWithinCacheBound(cached);
    // One EMF record per request, counted by outcome, the client id a property (never a dimension).
    const records = emfRecords(api, 'RevocationFunction').filter((record) => record.RevocationRequests === 1 && record.clientId === owner.clientId);
    expect(records.map((record) => record.outcome)).toEqual(['revoked', 'revoked']);
    expect(records[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'outcome'], ['service']]);
  });

  it('answers 200 and changes nothing for a token of another client (§2.1)', async () => {
    const token = await tokenOf(owner);
    expect((await revoke(other, token)).status).toBe(200);
    expect((await products(token)).status).toBe(200);
    expect(await (await introspect(introspector, token)).json()).toMatchObject({ active: true });
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a token with a broken signature', 'eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJ4In0.AAAA'],
  ])('answers 200 to %s, as to any token (§2.2)', async (_label, token) => {
    const response = await revoke(owner, token);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('authenticates the caller like the token endpoint: one uniform invalid_client', async () => {
    const token = await tokenOf(owner);
    const response = await revoke({ ...owner, clientSecret: 'wrong' }, token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
    expect((await products(token)).status).toBe(200);
  });

  it('refuses a request without the token parameter with 400 invalid_request', async () => {
    const response = await postForm('/oauth2/revoke', owner, {});
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('operator revocation (npm run clients -- revoke-tokens / disable / delete)', () => {
  it('revoke-tokens cuts off every token so far; the client stays active and gets working new ones', async () => {
    const client = await createTestClient({ name: 'lifecycle revoke-tokens', scopes: ['products:read'] });
    const { fresh, cached } = await freshAndCached(client);
    await clientRegistryFor(testStack()).revokeTokens(client.clientId);
    await expectRefusedAtOnce(fresh);
    await expectRefusedWithinCacheBound(cached);
    await nextSecond();
    expect((await products(await tokenOf(client))).status).toBe(200);
  });

  it('disable cuts off every token, and enable does not bring them back', async () => {
    const client = await createTestClient({ name: 'lifecycle disable', scopes: ['products:read'] });
    const registry = clientRegistryFor(testStack());
    const { fresh, cached } = await freshAndCached(client);
    await registry.disableClient(client.clientId);
    await expectRefusedAtOnce(fresh);
    await expectRefusedWithinCacheBound(cached);
    await registry.enableClient(client.clientId);
    await expectRefusedAtOnce(fresh);
    await expectRefusedAtOnce(cached);
    expect(await (await introspect(introspector, fresh)).json()).toEqual({ active: false });
  });

  it('delete cuts off every token', async () => {
    const client = await createTestClient({ name: 'lifecycle delete', scopes: ['products:read'] });
    const { fresh, cached } = await freshAndCached(client);
    await clientRegistryFor(testStack()).deleteClient(client.clientId);
    await expectRefusedAtOnce(fresh);
    await expectRefusedWithinCacheBound(cached);
  });
});

describe('introspection endpoint (RFC 7662)', () => {
  it('describes a live token of this issuer, never cached', async () => {
    const token = await tokenOf(owner);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const response = await introspect(introspector, token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      active: true,
      scope: 'products:read',
      client_id: owner.clientId,
      sub: owner.clientId,
      aud: testStack().audience,
      iss: testStack().issuer,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      token_type: 'Bearer',
    });
  });

  it('answers exactly {"active":false} for every token that is not live', async () => {
    const valid = await tokenOf(owner);
    const { kid } = decodeProtectedHeader(valid);
    const header = { alg: 'RS256' as const, typ: 'at+jwt', kid: kid! };
    const claims = issuedClaims(testStack(), owner.clientId, 'products:read');
    const now = Math.floor(Date.now() / 1000);
    const sign = (changes: object) => signWithKmsKey(kms, testStack().signingKeyId, header, { ...claims, ...changes });
    const revoked = await tokenOf(owner);
    expect((await revoke(owner, revoked)).status).toBe(200);
    const [parts0, parts1, signature] = valid.split('.') as [string, string, string];
    const inactive: Record<string, string> = {
      expired: await sign({ iat: now - 600, exp: now - 300 }),
      'not yet valid': await sign({ nbf: now + 600 }),
      revoked,
      'of another issuer': await sign({ iss: 'https://issuer.example' }),
      'with a bad signature': `${parts0}.${parts1}.${signature.slice(0, -4)}AAAA`,
      garbage: 'garbage',
    };
    for (const [label, token] of Object.entries(inactive)) {
      const response = await introspect(introspector, token);
      expect(response.status, label).toBe(200);
      expect(await response.text(), label).toBe('{"active":false}');
    }
  });

  it('tells a client without the permission nothing about any token', async () => {
    const token = await tokenOf(owner);
    const response = await introspect(plainClient, token);
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: 'unauthorized_client', error_description: 'This client may not use the introspection endpoint' });
    expect(await (await introspect(plainClient, 'garbage')).text()).toBe(body);
    const refusals = emfRecords(api, 'IntrospectionFunction').filter((record) => record.Refusals === 1);
    expect(refusals.map((record) => record.reason)).toContain('unauthorized_client');
  });
});

describe('a revocation store outage', () => {
  it('is 503 at the API, at the revocation endpoint and at the introspection endpoint — never an Allow, never a 500', async () => {
    const token = await tokenOf(owner);
    const api503 = await products(token, outage);
    expect(api503.status).toBe(503);
    expect(api503.headers.get('retry-after')).toBe('5');
    for (const response of [await revoke(owner, token, outage), await introspect(introspector, token, outage)]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).not.toBeNull();
      expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    }
    expect(outage.invocations('ProductsFunction')).toBe(0);
    // Nothing was revoked: the token still works where the store answers.
    expect((await products(token)).status).toBe(200);
  });
});
