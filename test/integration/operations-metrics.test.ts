import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signByHand, unsigned } from '../support/access-token-fixtures.js';
import { issuedClaims, kidOfKmsKey, signWithKmsKey, stackKms } from '../support/kms-tokens.js';
import { basicAuthorization, createTestClient, requestToken, testStack, type TestClient } from '../support/stack-clients.js';
import { awaitJsonLines, isEmf } from '../support/stack-log.js';

/**
 * Over real HTTP against the local stack: the exact CloudWatch embedded-metric-format record each outcome of
 * the token endpoint and of the authorizer writes to the function's output, and the stage's access-log line.
 * The local stack reads the same template.yaml (namespace OAuthCC by default) and runs the same code as Lambda.
 */
const NAMESPACE = 'OAuthCC';
const kms = stackKms(testStack());
let client: TestClient;

beforeAll(async () => {
  client = await createTestClient({ scopes: ['products:read'] });
});
afterAll(() => kms.destroy());

const directive = (dimensions: string[][], metrics: [string, string][]) => ({
  Timestamp: expect.any(Number),
  CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: dimensions, Metrics: metrics.map(([Name, Unit]) => ({ Name, Unit })) }],
});

async function tokenRecordFor(response: Response): Promise<Record<string, unknown>> {
  const requestId = response.headers.get('x-amzn-requestid');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const records = await awaitJsonLines('TokenFunction', (record) => isEmf(record) && record.requestId === requestId);
  expect(records).toHaveLength(1);
  return records[0]!;
}

function postToken(body: Record<string, string>, authorization?: string): Promise<Response> {
  return fetch(testStack().tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(body).toString(),
  });
}

describe('token endpoint metrics (one EMF record per request)', () => {
  it('counts an issued token with the KMS Sign latency, the client id as a property', async () => {
    const response = await requestToken(client);
    expect(response.status).toBe(200);
    expect(await tokenRecordFor(response)).toEqual({
      _aws: directive([['service']], [['KmsSignLatency', 'Milliseconds'], ['TokensIssued', 'Count']]),
      service: 'token',
      requestId: response.headers.get('x-amzn-requestid'),
      function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      clientId: client.clientId,
      KmsSignLatency: expect.any(Number),
      TokensIssued: 1,
    });
  });

  const refusal = (response: Response, reason: string, properties: Record<string, unknown>) => ({
    _aws: directive([['service', 'reason'], ['service']], [['Refusals', 'Count']]),
    service: 'token',
    reason,
    requestId: response.headers.get('x-amzn-requestid'),
    function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    Refusals: 1,
    ...properties,
  });

  it('counts invalid_client by reason, with the real cause as a property', async () => {
    const response = await postToken({ grant_type: 'client_credentials' }, basicAuthorization(client.clientId, 'not-the-secret'));
    expect(response.status).toBe(401);
    expect(await tokenRecordFor(response)).toEqual(refusal(response, 'invalid_client', { clientId: client.clientId, detail: 'wrong_secret' }));
  });

  it('counts an unknown client under the fingerprint of its id, never the id it sent', async () => {
    const sent = `typo-${randomBytes(6).toString('hex')}`;
    const response = await postToken({ grant_type: 'client_credentials' }, basicAuthorization(sent, 'whatever'));
    const record = await tokenRecordFor(response);
    expect(record).toEqual(refusal(response, 'invalid_client', { clientIdSha256: expect.stringMatching(/^[0-9a-f]{8}$/), detail: 'unknown_client' }));
    expect(JSON.stringify(record)).not.toContain(sent);
  });

  it('counts invalid_scope, invalid_target, invalid_request and unsupported_grant_type', async () => {
    const auth = basicAuthorization(client.clientId, client.clientSecret);
    const scope = await postToken({ grant_type: 'client_credentials', scope: 'products:delete' }, auth);
    expect(await tokenRecordFor(scope)).toEqual(refusal(scope, 'invalid_scope', { clientId: client.clientId, detail: 'scope_not_allowed' }));
    const target = await postToken({ grant_type: 'client_credentials', resource: 'https://elsewhere.example/api' }, auth);
    expect(await tokenRecordFor(target)).toEqual(refusal(target, 'invalid_target', { clientId: client.clientId, detail: 'audience_not_allowed' }));
    const request = await postToken({}, auth);
    expect(await tokenRecordFor(request)).toEqual(refusal(request, 'invalid_request', {}));
    const grant = await postToken({ grant_type: 'password' }, auth);
    expect(await tokenRecordFor(grant)).toEqual(refusal(grant, 'unsupported_grant_type', {}));
    expect([scope.status, target.status, request.status, grant.status]).toEqual([400, 400, 400, 400]);
  });
});

describe('authorizer metrics (one EMF record per decision)', () => {
  let kid: string;
  beforeAll(async () => {
    kid = await kidOfKmsKey(kms, testStack().signingKeyId);
  });

  const header = (overrides: Record<string, unknown> = {}) => ({ alg: 'RS256' as const, typ: 'at+jwt', kid, ...overrides });
  const claims = (overrides: Record<string, unknown> = {}) => ({ ...issuedClaims(testStack(), client.clientId, 'products:read'), ...overrides });
  const signed = (head = header(), body: object = claims()) => signWithKmsKey(kms, testStack().signingKeyId, head, body);

  /** A request to a path no other request uses, so the record is found by its route. */
  async function decisionFor(authorization: string): Promise<{ status: number; record: Record<string, unknown>; route: string }> {
    const id = randomUUID();
    const response = await fetch(`${testStack().apiUrl}/products/${id}`, { headers: { authorization } });
    const route = `GET /products/${id}`;
    const records = await awaitJsonLines('AuthorizerFunction', (record) => isEmf(record) && record.route === route);
    expect(records).toHaveLength(1);
    return { status: response.status, record: records[0]!, route };
  }

  const decision = (route: string, outcome: string, properties: Record<string, unknown> = {}) => ({
    _aws: directive([['service', 'outcome'], ['service']], [['AuthorizerDecisions', 'Count']]),
    service: 'authorizer',
    outcome,
    route,
    function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    AuthorizerDecisions: 1,
    ...properties,
  });

  it('counts an allowed token with its client id and jti', async () => {
    const body = claims();
    const { status, record, route } = await decisionFor(`Bearer ${await signed(header(), body)}`);
    expect(status).toBe(404);
    expect(record).toEqual(decision(route, 'allowed', { clientId: client.clientId, jti: body.jti }));
  });

  it('counts each rejection by its reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, () => Promise<string>, boolean][] = [
      ['MalformedAuthorization', async () => `Basic ${randomBytes(9).toString('base64')}`, false],
      ['TokenTooLarge', async () => `Bearer ${'a'.repeat(8_200)}${randomBytes(4).toString('hex')}`, false],
      ['MalformedToken', async () => `Bearer not-a-jwt-${randomBytes(4).toString('hex')}`, false],
      ['DisallowedAlgorithm', async () => `Bearer ${signByHand({ alg: 'none', typ: 'at+jwt', kid }, claims(), unsigned)}`, false],
      ['UnknownKid', async () => `Bearer ${await signed(header({ kid: `not-published-${randomUUID()}` }))}`, false],
      ['WrongTokenType', async () => `Bearer ${await signed(header({ typ: 'JWT' }))}`, false],
      ['WrongIssuer', async () => `Bearer ${await signed(header(), claims({ iss: 'https://attacker.example' }))}`, true],
      ['WrongAudience', async () => `Bearer ${await signed(header(), claims({ aud: 'https://reports.example/api' }))}`, true],
      ['TokenExpired', async () => `Bearer ${await signed(header(), claims({ iat: now - 7200, exp: now - 3600 }))}`, true],
      ['TokenNotYetValid', async () => `Bearer ${await signed(header(), claims({ nbf: now + 600 }))}`, true],
      ['InvalidClaim', async () => `Bearer ${await signed(header(), claims({ scope: 42 }))}`, true],
    ];
    for (const [reason, authorization, identified] of cases) {
      const { status, record, route } = await decisionFor(await authorization());
      expect({ reason, status }).toEqual({ reason, status: 401 });
      // After the signature verified, the record names the token; before, it cannot.
      const properties = identified ? { clientId: client.clientId, jti: expect.any(String) } : {};
      expect({ reason, record }).toEqual({ reason, record: decision(route, reason, properties) });
    }
  });

  it('counts a bad signature as InvalidSignature', async () => {
    const [head, payload, signature] = (await signed()).split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[bytes.length >> 1]! ^= 0x01;
    const { status, record, route } = await decisionFor(`Bearer ${head}.${payload}.${bytes.toString('base64url')}`);
    expect(status).toBe(401);
    expect(record).toEqual(decision(route, 'InvalidSignature'));
  });
});

describe('API access log', () => {
  const accessLine = async (requestId: string | null) => {
    const lines = await awaitJsonLines('api-access', (record) => record.requestId === requestId);
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };
  const requestTime = expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);

  it('writes the template format for a token request: no authorizer, the integration latency', async () => {
    const response = await requestToken(client);
    const body = await response.text();
    expect(await accessLine(response.headers.get('x-amzn-requestid'))).toEqual({
      requestId: response.headers.get('x-amzn-requestid'),
      ip: '127.0.0.1',
      requestTime,
      httpMethod: 'POST',
      resourcePath: '/oauth2/token',
      status: 200,
      protocol: 'HTTP/1.1',
      responseLength: String(Buffer.byteLength(body)),
      responseLatency: expect.any(Number),
      integrationLatency: expect.stringMatching(/^\d+$/),
      clientId: '-',
      authorizerError: '-',
    });
  });

  it('names the client the authorizer allowed, and the authorizer error of a refused token', async () => {
    const token = await (await requestToken(client)).json() as { access_token: string };
    const allowed = await fetch(`${testStack().apiUrl}/products/${randomUUID()}`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(await accessLine(allowed.headers.get('x-amzn-requestid'))).toMatchObject({
      httpMethod: 'GET', resourcePath: '/products/{id}', status: 404, clientId: client.clientId, authorizerError: '-',
    });
    const refused = await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer not-a-jwt-${randomUUID()}` } });
    expect(await accessLine(refused.headers.get('x-amzn-requestid'))).toMatchObject({
      httpMethod: 'GET', resourcePath: '/products', status: 401, clientId: '-', authorizerError: 'Unauthorized', integrationLatency: '-',
    });
  });
});
