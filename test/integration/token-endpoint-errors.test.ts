import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_METHODS,
  BASIC_CHALLENGE,
  challengeOf,
  expectOAuthError,
  expectTokenResponse,
  postToTokenEndpoint,
  tokenRequest,
} from '../support/oauth-responses.js';
import { basicAuthorization, createTestClient, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * RFC 6749 §5.1 / §5.2 over real HTTP: every answer of the token endpoint, for both client authentication
 * methods, with its exact status, body and headers.
 */
let client: TestClient;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  client = await createTestClient({ scopes: ['products:read', 'products:write'], defaultScopes: ['products:read'] });
});

describe.each(AUTH_METHODS)('with %s', (method) => {
  it('issues a token with Cache-Control: no-store and Pragma: no-cache', async () => {
    const body = await expectTokenResponse(await tokenRequest(method, client));
    expect(body.scope).toBe('products:read');
  });

  it('answers a grant type other than client_credentials with 400 unsupported_grant_type', async () => {
    for (const grantType of ['authorization_code', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      const response = await tokenRequest(method, client, { grant_type: grantType });
      await expectOAuthError(response, 400, 'unsupported_grant_type');
      expect(challengeOf(response)).toBeNull();
    }
  });

  it('answers a missing grant_type with 400 invalid_request', async () => {
    const response = await tokenRequest(method, client, { grant_type: '' });
    await expectOAuthError(response, 400, 'invalid_request');
    expect(challengeOf(response)).toBeNull();
  });

  it('answers a scope beyond the client\u2019s with 400 invalid_scope', async () => {
    const response = await tokenRequest(method, client, { scope: 'products:read products:delete' });
    await expectOAuthError(response, 400, 'invalid_scope');
    expect(challengeOf(response)).toBeNull();
  });

  it('answers a malformed scope with 400 invalid_scope', async () => {
    await expectOAuthError(await tokenRequest(method, client, { scope: 'products:read\u0022' }), 400, 'invalid_scope');
    await expectOAuthError(await tokenRequest(method, client, { scope: ' products:read' }), 400, 'invalid_scope');
  });

  it('answers a resource the client may not have with 400 invalid_target', async () => {
    const response = await tokenRequest(method, client, { resource: 'https://elsewhere.example/api' });
    await expectOAuthError(response, 400, 'invalid_target');
    expect(challengeOf(response)).toBeNull();
  });

  it('answers a wrong secret with 401 invalid_client, with a Basic challenge only when Basic was used', async () => {
    const response = await tokenRequest(method, { clientId: client.clientId, clientSecret: `${client.clientSecret}x` });
    await expectOAuthError(response, 401, 'invalid_client');
    if (method === 'client_secret_basic') expect(challengeOf(response)).toMatch(BASIC_CHALLENGE);
    else expect(challengeOf(response)).toBeNull();
  });

  it('answers an unknown client exactly like a wrong secret', async () => {
    const response = await tokenRequest(method, { clientId: `no-such-${client.clientId}`, clientSecret: client.clientSecret });
    const body = await expectOAuthError(response, 401, 'invalid_client');
    const wrongSecret = await (await tokenRequest(method, { clientId: client.clientId, clientSecret: 'wrong' })).json();
    expect(body).toEqual(wrongSecret);
    expect(challengeOf(response) !== null).toBe(method === 'client_secret_basic');
  });
});

describe('client authentication', () => {
  it('answers a request without any client authentication with 401 invalid_client and no challenge', async () => {
    const response = await postToTokenEndpoint('grant_type=client_credentials');
    await expectOAuthError(response, 401, 'invalid_client');
    expect(challengeOf(response)).toBeNull();
  });

  it('answers client_id without client_secret (a public client) with 401 invalid_client', async () => {
    const response = await postToTokenEndpoint(`grant_type=client_credentials&client_id=${client.clientId}`);
    await expectOAuthError(response, 401, 'invalid_client');
    expect(challengeOf(response)).toBeNull();
  });

  it('answers another Authorization scheme with 401 invalid_client and the Basic challenge it should have used', async () => {
    const response = await postToTokenEndpoint('grant_type=client_credentials', { ...FORM, authorization: 'Bearer abc.def.ghi' });
    await expectOAuthError(response, 401, 'invalid_client');
    expect(challengeOf(response)).toMatch(BASIC_CHALLENGE);
  });

  it.each([
    ['not base64', 'Basic !!!'],
    ['no colon', `Basic ${Buffer.from('client-without-colon').toString('base64')}`],
    ['an empty secret', `Basic ${Buffer.from('client:').toString('base64')}`],
    ['a malformed %-escape', `Basic ${Buffer.from('client%zz:secret').toString('base64')}`],
    ['unpadded base64', `Basic ${Buffer.from('client:secret1').toString('base64').replace(/=+$/, '')}`],
  ])('answers Basic credentials with %s with 400 invalid_request', async (_case, authorization) => {
    const response = await postToTokenEndpoint('grant_type=client_credentials', { ...FORM, authorization });
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it('refuses credentials sent in two places (RFC 6749 §2.3) with 400 invalid_request', async () => {
    const response = await postToTokenEndpoint(
      new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
      { ...FORM, authorization: basicAuthorization(client.clientId, client.clientSecret) },
    );
    expect((await expectOAuthError(response, 400, 'invalid_request')).error_description).toMatch(/one place/);
  });

  it('refuses a client_id parameter that contradicts the Basic credentials with 400 invalid_request', async () => {
    const response = await postToTokenEndpoint(new URLSearchParams({ grant_type: 'client_credentials', client_id: 'someone-else' }).toString(), {
      ...FORM,
      authorization: basicAuthorization(client.clientId, client.clientSecret),
    });
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it('accepts a client_id parameter that repeats the Basic client id', async () => {
    const response = await postToTokenEndpoint(new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId }).toString(), {
      ...FORM,
      authorization: basicAuthorization(client.clientId, client.clientSecret),
    });
    await expectTokenResponse(response);
  });

  it('refuses client_secret without client_id with 400 invalid_request', async () => {
    const response = await postToTokenEndpoint(new URLSearchParams({ grant_type: 'client_credentials', client_secret: client.clientSecret }).toString());
    await expectOAuthError(response, 400, 'invalid_request');
  });
});

describe('request syntax (RFC 6749 §3.2)', () => {
  const credentials = () => ({ ...FORM, authorization: basicAuthorization(client.clientId, client.clientSecret) });

  it.each([
    ['grant_type', 'grant_type=client_credentials&grant_type=client_credentials'],
    ['scope', 'grant_type=client_credentials&scope=products:read&scope=products:read'],
    ['client_id', 'grant_type=client_credentials&client_id=a&client_id=a'],
    ['an unknown parameter', 'grant_type=client_credentials&x=1&x=2'],
  ])('refuses a repeated %s with 400 invalid_request', async (_name, body) => {
    const refusal = await expectOAuthError(await postToTokenEndpoint(body, credentials()), 400, 'invalid_request');
    expect(refusal.error_description).toMatch(/repeated/);
  });

  it('refuses repeated client credentials in the body with 400 invalid_request', async () => {
    const body = `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}&client_secret=${client.clientSecret}`;
    await expectOAuthError(await postToTokenEndpoint(body), 400, 'invalid_request');
  });

  it('treats a parameter sent without a value as omitted', async () => {
    const body = await expectTokenResponse(await postToTokenEndpoint('grant_type=client_credentials&scope=', credentials()));
    expect(body.scope).toBe('products:read');
  });

  it('refuses parameters in the query string with 400 invalid_request', async () => {
    const response = await postToTokenEndpoint('grant_type=client_credentials', credentials(), '?scope=products:read');
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it.each([
    ['JSON', 'application/json', JSON.stringify({ grant_type: 'client_credentials' })],
    ['plain text', 'text/plain', 'grant_type=client_credentials'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--\r\n'],
  ])('refuses a %s body with 400 invalid_request', async (_name, contentType, body) => {
    const response = await postToTokenEndpoint(body, { ...credentials(), 'content-type': contentType });
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it('accepts the form media type with a charset parameter and in any case', async () => {
    const response = await postToTokenEndpoint('grant_type=client_credentials', {
      ...credentials(),
      'content-type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8',
    });
    await expectTokenResponse(response);
  });

  it('refuses a malformed %-escape or invalid UTF-8 in the form with 400 invalid_request', async () => {
    await expectOAuthError(await postToTokenEndpoint('grant_type=client%ZZcredentials', credentials()), 400, 'invalid_request');
    await expectOAuthError(await postToTokenEndpoint('grant_type=client_credentials&scope=%C3%28', credentials()), 400, 'invalid_request');
  });

  it('refuses a body over 4096 bytes with 400 invalid_request, not 413', async () => {
    const response = await postToTokenEndpoint(`grant_type=client_credentials&pad=${'x'.repeat(4100)}`, credentials());
    await expectOAuthError(response, 400, 'invalid_request');
  });

  it('never reaches the form parser with a body the gateway passes base64-encoded', async () => {
    // The gateway base64-encodes (isBase64Encoded) only bodies of non-text media types; the form media type
    // is always passed as text. So over HTTP a base64 body can only carry another media type, and the
    // endpoint refuses it for that before decoding anything (token-request-encoding.test.ts covers the
    // base64 decoding of a form body by invoking the function directly).
    const form = new TextEncoder().encode('grant_type=client_credentials');
    const response = await postToTokenEndpoint(form, { ...credentials(), 'content-type': 'application/octet-stream' });
    const refusal = await expectOAuthError(response, 400, 'invalid_request');
    expect(refusal.error_description).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('answers other methods on the token endpoint without issuing anything', async () => {
    const response = await fetch(testStack().tokenEndpoint, { method: 'GET', headers: { authorization: basicAuthorization(client.clientId, client.clientSecret) } });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toMatch(/access_token/);
  });
});
