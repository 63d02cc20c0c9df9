import { appendFileSync } from 'node:fs';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { FunctionRuntime } from '../../local/runtime/function-runtime.js';
import { runningStackFunctions } from '../../local/stack/local-stack.js';
import { assertionForm, clientAssertion, clientKeyPair, jwksOf, type AssertionOptions, type ClientKeyPair } from '../support/client-assertions.js';
import { expectOAuthError, expectTokenResponse } from '../support/oauth-responses.js';
import { refusalLogged } from '../support/refusal-log.js';
import { basicAuthorization, createTestClient, stackRegistry, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * private_key_jwt (RFC 7523 §2.2, §3) against the running stack over real HTTP: the token function, its
 * DynamoDB tables (clients, used assertion ids) and KMS, as deployed. Every refusal is the same
 * invalid_client to the caller; the log says why.
 */
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const rsa = clientKeyPair('RS256');
const pss = clientKeyPair('PS256');
const ec = clientKeyPair('ES256');
const stranger = clientKeyPair('RS256');

let rsClient: RegisteredClient;
let psClient: RegisteredClient;
let esClient: RegisteredClient;
let secretClient: TestClient;

const keyClient = (name: string, ...pairs: ClientKeyPair[]) =>
  stackRegistry().createKeyClient({ name, scopes: ['products:read'], jwks: jwksOf(...pairs) });

beforeAll(async () => {
  [rsClient, psClient, esClient, secretClient] = await Promise.all([
    keyClient('RS256 client', rsa),
    keyClient('PS256 client', pss),
    keyClient('ES256 client', ec),
    createTestClient({ name: 'secret client' }),
  ]);
});

const sign = (pair: ClientKeyPair, clientId: string, options: Partial<AssertionOptions> = {}) =>
  clientAssertion(pair, { clientId, audience: testStack().issuer, ...options });

function postAssertion(assertion: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(testStack().tokenEndpoint, { method: 'POST', headers: { ...FORM, ...headers }, body: assertionForm(assertion, params) });
}

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function expectRefused(response: Response, clientId: string, reason: string): Promise<void> {
  await expectOAuthError(response, 401, 'invalid_client');
  await refusalLogged({ clientId, reason });
}

describe('private_key_jwt clients get tokens', () => {
  it.each([
    ['RS256', () => rsa, () => rsClient],
    ['PS256', () => pss, () => psClient],
    ['ES256', () => ec, () => esClient],
  ])('issues a token to an %s client', async (_, pair, client) => {
    const token = await expectTokenResponse(await postAssertion(sign(pair(), client().clientId)));
    expect(claimsOf(token.access_token)).toMatchObject({ sub: client().clientId, client_id: client().clientId, iss: testStack().issuer });
  });

  it('accepts the token endpoint URL as the audience, and a matching client_id parameter', async () => {
    const assertion = sign(ec, esClient.clientId, { audience: testStack().tokenEndpoint });
    await expectTokenResponse(await postAssertion(assertion, { client_id: esClient.clientId }));
  });
});

describe('each refusal is invalid_client, with its reason in the log (RFC 7523 §3)', () => {
  it('refuses a replayed assertion (jti single use)', async () => {
    const assertion = sign(rsa, rsClient.clientId);
    await expectTokenResponse(await postAssertion(assertion));
    const replay = await postAssertion(assertion);
    await expectRefused(replay, rsClient.clientId, 'replayed');
  });

  it('refuses the same assertion sent twice at once: the conditional write lets one through', async () => {
    const assertion = sign(ec, esClient.clientId);
    const statuses = (await Promise.all([postAssertion(assertion), postAssertion(assertion), postAssertion(assertion)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 401, 401]);
  });

  it.each([
    ['a wrong audience', () => sign(rsa, rsClient.clientId, { audience: 'https://other-as.example.com' }), 'wrong_audience'],
    ['an expired assertion', () => sign(rsa, rsClient.clientId, { now: Math.floor(Date.now() / 1000) - 600 }), 'expired'],
    ['exp too far ahead', () => sign(rsa, rsClient.clientId, { lifetimeSeconds: 3600 }), 'exp_too_far_ahead'],
    ['iat in the future beyond the skew', () => sign(rsa, rsClient.clientId, { claims: { iat: Math.floor(Date.now() / 1000) + 600 } }), 'issued_in_future'],
    ['no jti', () => sign(rsa, rsClient.clientId, { claims: { jti: undefined } }), 'missing_jti'],
    ['an unknown kid', () => sign(rsa, rsClient.clientId, { header: { kid: 'no-such-kid' } }), 'unknown_kid'],
    ['the key of another client', () => sign(stranger, rsClient.clientId, { header: { kid: undefined } }), 'bad_signature'],
    ['HMAC keyed with the public key', () => sign(rsa, rsClient.clientId, { header: { alg: 'HS256' } }), 'disallowed_alg'],
    ['alg none', () => sign(rsa, rsClient.clientId, { header: { alg: 'none' } }), 'disallowed_alg'],
  ])('refuses %s', async (_, assertion, reason) => {
    // client_id is sent too, so that refusals decided before the lookup also name the client in the log.
    await expectRefused(await postAssertion(assertion(), { client_id: rsClient.clientId }), rsClient.clientId, reason);
  });

  it('refuses a secret for a private_key_jwt client, and an assertion for a secret client', async () => {
    const withSecret = await fetch(testStack().tokenEndpoint, {
      method: 'POST',
      headers: { ...FORM, authorization: basicAuthorization(rsClient.clientId, 'a-guessed-secret') },
      body: 'grant_type=client_credentials',
    });
    await expectRefused(withSecret, rsClient.clientId, 'wrong_auth_method');
    await expectRefused(await postAssertion(sign(rsa, secretClient.clientId)), secretClient.clientId, 'wrong_auth_method');
  });

  it('refuses credentials in two places as invalid_request (RFC 6749 §2.3, RFC 7521 §4.2)', async () => {
    const basic = await postAssertion(sign(rsa, rsClient.clientId), {}, { authorization: basicAuthorization(secretClient.clientId, secretClient.clientSecret) });
    expect((await expectOAuthError(basic, 400, 'invalid_request')).error_description).toBe('Client credentials must be sent in one place only');
    const posted = await postAssertion(sign(rsa, rsClient.clientId), { client_id: rsClient.clientId, client_secret: 'x' });
    await expectOAuthError(posted, 400, 'invalid_request');
  });
});

describe('key rotation with set-keys', () => {
  it('never leaves a gap: old + new, then new alone', async () => {
    const oldKey = clientKeyPair('ES256');
    const newKey = clientKeyPair('RS256');
    const client = await keyClient('rotating client', oldKey);
    await expectTokenResponse(await postAssertion(sign(oldKey, client.clientId)));

    await stackRegistry().setKeys(client.clientId, jwksOf(oldKey, newKey));
    await expectTokenResponse(await postAssertion(sign(oldKey, client.clientId)));
    await expectTokenResponse(await postAssertion(sign(newKey, client.clientId)));

    await stackRegistry().setKeys(client.clientId, jwksOf(newKey));
    await expectTokenResponse(await postAssertion(sign(newKey, client.clientId)));
    await expectRefused(await postAssertion(sign(oldKey, client.clientId)), client.clientId, 'unknown_kid');
  });
});

describe('per-client claims', () => {
  let runtime: FunctionRuntime;

  beforeAll(async () => {
    const { template, baseEnv } = await runningStackFunctions(testStack());
    runtime = new FunctionRuntime(template, { baseEnv, log: (source, line) => appendFileSync(testStack().logFile, `${source}\t${line}\n`) });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  it('puts them in every access token and hands them to the backend as claim_<name>', async () => {
    const client = await stackRegistry().createKeyClient({
      name: 'tenant client',
      scopes: ['products:read'],
      jwks: jwksOf(ec),
      claims: { tenant: 'acme', environment: 'prod' },
    });
    const { access_token: accessToken } = await expectTokenResponse(await postAssertion(sign(ec, client.clientId)));
    expect(claimsOf(accessToken)).toMatchObject({ tenant: 'acme', environment: 'prod', client_id: client.clientId });

    // The deployed authorizer, in the stack's environment: its context is what API Gateway passes to the backend.
    const { result } = await runtime.invoke('AuthorizerFunction', {
      type: 'TOKEN',
      authorizationToken: `Bearer ${accessToken}`,
      methodArn: `arn:aws:execute-api:${testStack().region}:123456789012:localapi/v1/GET/products`,
    });
    const answer = result as APIGatewayAuthorizerResult;
    expect(answer.context).toEqual({
      clientId: client.clientId,
      scope: 'products:read',
      jti: claimsOf(accessToken).jti,
      exp: String(claimsOf(accessToken).exp),
      claim_tenant: 'acme',
      claim_environment: 'prod',
    });

    // And the protected API serves the token as any other.
    const products = await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(products.status).toBe(200);
  });

  it('changes with set-claims for the next token, and a secret client gets them too', async () => {
    await stackRegistry().setClaims(secretClient.clientId, { team: 'payments' });
    const response = await fetch(testStack().tokenEndpoint, {
      method: 'POST',
      headers: { ...FORM, authorization: basicAuthorization(secretClient.clientId, secretClient.clientSecret) },
      body: 'grant_type=client_credentials',
    });
    expect(claimsOf((await expectTokenResponse(response)).access_token)).toMatchObject({ team: 'payments' });
    await stackRegistry().setClaims(secretClient.clientId, {});
  });
});
