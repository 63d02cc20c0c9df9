import { createPublicKey, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackKms } from '../support/kms-tokens.js';
import { AUTH_METHODS, expectOAuthError, expectTokenResponse, tokenRequest } from '../support/oauth-responses.js';
import { createTestClient, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * What an issued token is: an RS256 JWT (RFC 9068) that verifies against the public key KMS holds for the
 * stack's signing key, carrying exactly the RFC 9068 §2.2 claims, with the scope (RFC 6749 §3.3) and
 * audience (RFC 8707) the client asked for or was given by default.
 */
const REPORTS_API = 'https://reports.example/api';
const kms = stackKms(testStack());
let signingKey: KeyObject;
let client: TestClient;

beforeAll(async () => {
  const { PublicKey, KeySpec, SigningAlgorithms, KeyUsage } = await kms.send(new GetPublicKeyCommand({ KeyId: testStack().signingKeyId }));
  expect({ KeySpec, KeyUsage }).toEqual({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  expect(SigningAlgorithms).toContain('RSASSA_PKCS1_V1_5_SHA_256');
  signingKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
  client = await createTestClient({
    scopes: ['products:read', 'products:write', 'products:delete'],
    defaultScopes: ['products:read'],
    audiences: [testStack().audience, REPORTS_API],
    ttlSeconds: 900,
  });
});

afterAll(() => kms.destroy());

/** Verifies as a resource server would: pinned algorithm, issuer, audience and RFC 9068 §4 typ. */
async function verify(token: string, audience = testStack().audience) {
  return jwtVerify(token, signingKey, { algorithms: ['RS256'], issuer: testStack().issuer, audience, typ: 'at+jwt' });
}

describe.each(AUTH_METHODS)('a token issued with %s', (method) => {
  it('verifies with the KMS public key and carries exactly the RFC 9068 claims', async () => {
    const before = Math.floor(Date.now() / 1000);
    const issued = await expectTokenResponse(await tokenRequest(method, client));
    const after = Math.ceil(Date.now() / 1000);
    const { payload, protectedHeader } = await verify(issued.access_token);

    expect(Object.keys(protectedHeader).sort()).toEqual(['alg', 'kid', 'typ']);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    // RFC 7638: the kid is the SHA-256 thumbprint of the public JWK.
    expect(protectedHeader.kid).toBe(await calculateJwkThumbprint(await exportJWK(signingKey), 'sha256'));

    expect(Object.keys(payload).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
    expect(payload).toMatchObject({
      iss: testStack().issuer,
      sub: client.clientId,
      client_id: client.clientId,
      aud: testStack().audience,
      scope: 'products:read',
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(after);
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(issued.expires_in).toBe(900);
    expect(issued.scope).toBe(payload.scope);
    expect(payload.jti).toMatch(/^[\w-]{16,}$/);
  });
});

describe('scope (RFC 6749 §3.3)', () => {
  it('grants the client\u2019s default scope when none is requested', async () => {
    const issued = await expectTokenResponse(await tokenRequest('client_secret_basic', client));
    expect(issued.scope).toBe('products:read');
    expect((await verify(issued.access_token)).payload.scope).toBe('products:read');
  });

  it('grants exactly the requested scope when the client may have it', async () => {
    for (const scope of ['products:write', 'products:delete products:read', 'products:read products:write products:delete']) {
      const issued = await expectTokenResponse(await tokenRequest('client_secret_post', client, { scope }));
      expect(issued.scope).toBe(scope);
      expect((await verify(issued.access_token)).payload.scope).toBe(scope);
    }
  });

  it('refuses rather than narrows a request beyond the client\u2019s scopes', async () => {
    const narrow = await createTestClient({ scopes: ['products:read'] });
    await expectOAuthError(await tokenRequest('client_secret_basic', narrow, { scope: 'products:read products:write' }), 400, 'invalid_scope');
  });
});

describe('audience (RFC 8707 resource)', () => {
  it('uses the client\u2019s default audience when no resource is named', async () => {
    const issued = await expectTokenResponse(await tokenRequest('client_secret_basic', client, { resource: '' }));
    expect((await verify(issued.access_token)).payload.aud).toBe(testStack().audience);
  });

  it('issues a token for another resource the client may use, which the products audience then refuses', async () => {
    const issued = await expectTokenResponse(await tokenRequest('client_secret_post', client, { resource: REPORTS_API }));
    expect((await verify(issued.access_token, REPORTS_API)).payload.aud).toBe(REPORTS_API);
    await expect(verify(issued.access_token)).rejects.toThrow(/aud/);
  });

  it('names the stack\u2019s audience explicitly', async () => {
    const issued = await expectTokenResponse(await tokenRequest('client_secret_basic', client, { resource: testStack().audience }));
    expect((await verify(issued.access_token)).payload.aud).toBe(testStack().audience);
  });

  it.each([
    ['a resource the client may not use', 'https://elsewhere.example/api'],
    ['a resource with a fragment', `${REPORTS_API}#part`],
    ['a relative reference', '/reports'],
  ])('refuses %s with 400 invalid_target', async (_case, resource) => {
    await expectOAuthError(await tokenRequest('client_secret_basic', client, { resource }), 400, 'invalid_target');
  });

  const requestResources = (...resources: string[]) =>
    fetch(testStack().tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['grant_type', 'client_credentials'],
        ['client_id', client.clientId],
        ['client_secret', client.clientSecret],
        ...resources.map((resource): [string, string] => ['resource', resource]),
      ]),
    });

  it('issues one token for two allowed resources (RFC 8707 §2), aud an array, which the products API accepts', async () => {
    const issued = await expectTokenResponse(await requestResources(testStack().audience, REPORTS_API, testStack().audience));
    expect((await verify(issued.access_token)).payload.aud).toEqual([testStack().audience, REPORTS_API]);
    expect((await verify(issued.access_token, REPORTS_API)).payload.aud).toEqual([testStack().audience, REPORTS_API]);
    const products = await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer ${issued.access_token}` } });
    expect(products.status).toBe(200);
  });

  it('refuses an allowed resource next to one the client may not use with 400 invalid_target', async () => {
    await expectOAuthError(await requestResources(testStack().audience, 'https://elsewhere.example/api'), 400, 'invalid_target');
  });
});

it('gives every token its own jti', async () => {
  const tokens = await Promise.all([1, 2, 3].map(() => tokenRequest('client_secret_basic', client).then(expectTokenResponse)));
  const jtis = await Promise.all(tokens.map(async ({ access_token }) => (await verify(access_token)).payload.jti));
  expect(new Set(jtis).size).toBe(3);
  expect(tokens.every(({ access_token }) => decodeProtectedHeader(access_token).kid === decodeProtectedHeader(tokens[0]!.access_token).kid)).toBe(true);
});
