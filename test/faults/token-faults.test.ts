import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { basicAuthorization, createTestClient, testStack, type TestClient } from '../support/stack-clients.js';
import type { TestStack } from '../support/test-stack.js';
import { captureOutput } from '../token/support/log-capture.js';
import { lambdaContext, tokenEvent } from '../token/support/proxy-events.js';
import { awsError, HANG, startBlackHole, startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { coldStart, HANG_BOUNDS, INTERNALS, stubFunctionEnv, timed } from './support/handler-env.js';

/**
 * The deployed token handler (functions/token/handler.ts) with its real SDK clients, against the test
 * stack's DynamoDB and KMS through a fault proxy: throttling and disabled keys arrive as the services send
 * them, hangs and refused connections as the network delivers them. Every fault must end in RFC 6749
 * §4.1.2.1 temporarily_unavailable with Retry-After — no token, no SDK internals, within the Lambda
 * timeout — and the next request after the fault clears must get a token that opens the products API.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const SIGN = 'TrentService.Sign';
const GET_PUBLIC_KEY = 'TrentService.GetPublicKey';
const GET_ITEM = 'DynamoDB_20120810.GetItem';
const DESCRIPTION = 'The authorization server is temporarily unable to handle the request; retry later';
const DYNAMODB_ERROR = 'com.amazonaws.dynamodb.v20120810#';

let stack: TestStack;
let client: TestClient;
let kms: FaultProxy;
let dynamodb: FaultProxy;
let handler: Handler;
let output: ReturnType<typeof captureOutput>;
const issued: string[] = [];

const load = () => import('../../functions/token/handler.js');

function useEndpoints(kmsEndpoint: string, dynamodbEndpoint: string): void {
  stubFunctionEnv(stack, {
    AWS_ENDPOINT_URL_KMS: kmsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    CLIENTS_TABLE: stack.clientsTable,
    SIGNING_KEY_ID: stack.signingKeyId,
    MAX_TOKEN_LIFETIME_SECONDS: '3600',
    ISSUER: stack.issuer,
    POWERTOOLS_SERVICE_NAME: 'token',
  });
}

async function requestToken(): Promise<{ response: APIGatewayProxyResult; ms: number }> {
  const event = tokenEvent({ headers: { Authorization: basicAuthorization(client.clientId, client.clientSecret) }, body: 'grant_type=client_credentials' });
  const { result: response, ms } = await timed(() => handler(event, lambdaContext()));
  const token = (JSON.parse(response.body) as { access_token?: string }).access_token;
  if (token !== undefined) issued.push(token);
  return { response, ms };
}

function expectUnavailable(response: APIGatewayProxyResult, retryAfter: string): void {
  expect(response.statusCode).toBe(503);
  expect(JSON.parse(response.body)).toStrictEqual({ error: 'temporarily_unavailable', error_description: DESCRIPTION });
  expect(response.headers).toMatchObject({ 'Retry-After': retryAfter, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  expect(`${response.body}${JSON.stringify(response.headers)}`).not.toMatch(INTERNALS);
}

/** The recovered token is real: the products API behind the gateway's authorizer accepts it. */
async function expectRecovered(): Promise<void> {
  const { response } = await requestToken();
  expect(response.statusCode, response.body).toBe(200);
  const token = (JSON.parse(response.body) as { access_token: string }).access_token;
  const products = await fetch(`${stack.apiUrl}/products?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
  expect(products.status).toBe(200);
}

beforeAll(async () => {
  stack = testStack();
  client = await createTestClient({ name: 'token faults client' });
  [kms, dynamodb] = await Promise.all([startFaultProxy(stack.kmsEndpoint), startFaultProxy(stack.dynamodbEndpoint)]);
  output = captureOutput();
});

afterAll(async () => {
  output.stop();
  vi.unstubAllEnvs();
  await Promise.all([kms.close(), dynamodb.close()]);
});

beforeEach(() => {
  kms.clear();
  dynamodb.clear();
  kms.resetAttempts();
  dynamodb.resetAttempts();
});

describe('token endpoint when KMS never answers', () => {
  it('gives up on a black-hole KMS endpoint at cold start within the Lambda timeout, with 503', async () => {
    const blackHole = await startBlackHole();
    try {
      useEndpoints(blackHole.endpoint, dynamodb.endpoint);
      handler = await coldStart<Handler>(load);
      const { response, ms } = await requestToken();
      expectUnavailable(response, '1');
      expect(ms).toBeGreaterThan(HANG_BOUNDS.atLeastMs);
      expect(ms).toBeLessThan(HANG_BOUNDS.underMs);
      // Bounded retries: the SDK tried at most twice.
      expect(blackHole.connections()).toBeGreaterThanOrEqual(1);
      expect(blackHole.connections()).toBeLessThanOrEqual(2);
    } finally {
      await blackHole.close();
    }
  }, 20_000);
});

describe('token endpoint through faulty dependencies', () => {
  beforeAll(async () => {
    useEndpoints(kms.endpoint, dynamodb.endpoint);
    handler = await coldStart<Handler>(load);
    await expectRecovered();
  });

  it.each([
    ['KMS Sign throttled (ThrottlingException)', SIGN, awsError('ThrottlingException', 'Rate exceeded'), '1', 2],
    ['KMS Sign failing inside KMS (KMSInternalException, 500)', SIGN, awsError('KMSInternalException', 'internal error', 500), '1', 2],
    ['a disabled signing key (DisabledException)', SIGN, awsError('DisabledException', `${'arn:aws:kms:us-east-1:000000000000:key/x'} is disabled.`), '30', 1],
    ['a signing key pending deletion (KMSInvalidStateException)', SIGN, awsError('KMSInvalidStateException', 'pending deletion'), '30', 1],
  ] as const)('answers 503 when %s, with bounded retries, then recovers', async (_, operation, fault, retryAfter, attempts) => {
    kms.inject(operation, fault);
    const { response } = await requestToken();
    expectUnavailable(response, retryAfter);
    expect(kms.attempts(operation)).toBe(attempts);
    kms.clear();
    await expectRecovered();
  });

  it.each([
    ['DynamoDB throttled (ProvisionedThroughputExceededException)', awsError(`${DYNAMODB_ERROR}ProvisionedThroughputExceededException`, 'The level of configured provisioned throughput for the table was exceeded')],
    ['DynamoDB request rate throttled (ThrottlingException)', awsError(`${DYNAMODB_ERROR}ThrottlingException`, 'Rate of requests exceeds the allowed throughput')],
    ['DynamoDB failing (InternalServerError, 500)', awsError(`${DYNAMODB_ERROR}InternalServerError`, 'Internal server error', 500)],
  ])('answers 503 when %s, with bounded retries, then recovers', async (_, fault) => {
    dynamodb.inject(GET_ITEM, fault);
    const { response } = await requestToken();
    expectUnavailable(response, '1');
    expect(dynamodb.attempts(GET_ITEM)).toBe(2);
    dynamodb.clear();
    await expectRecovered();
  });

  it.each([
    ['KMS Sign', () => kms, SIGN],
    ['DynamoDB GetItem', () => dynamodb, GET_ITEM],
  ] as const)('answers 503 within the Lambda timeout when %s hangs, then recovers', async (_, proxy, operation) => {
    proxy().inject(operation, HANG);
    const { response, ms } = await requestToken();
    expectUnavailable(response, '1');
    expect(ms).toBeGreaterThan(HANG_BOUNDS.atLeastMs);
    expect(ms).toBeLessThan(HANG_BOUNDS.underMs);
    expect(proxy().attempts(operation)).toBe(2);
    proxy().clear();
    await expectRecovered();
  }, 20_000);

  it.each([
    ['KMS', () => kms],
    ['DynamoDB', () => dynamodb],
  ] as const)('answers 503 at once while %s refuses connections, and recovers when it is back', async (_, proxy) => {
    await proxy().stop();
    try {
      const { response, ms } = await requestToken();
      expectUnavailable(response, '1');
      expect(ms).toBeLessThan(HANG_BOUNDS.atLeastMs);
    } finally {
      await proxy().start();
    }
    await expectRecovered();
  });

  it('answers 503 when GetPublicKey fails on a cold start, and fetches the key again on the next request', async () => {
    kms.inject(GET_PUBLIC_KEY, awsError('ThrottlingException', 'Rate exceeded'));
    handler = await coldStart<Handler>(load);
    const { response } = await requestToken();
    expectUnavailable(response, '1');
    expect(kms.attempts(GET_PUBLIC_KEY)).toBe(2);
    // No token was signed without the key id.
    expect(kms.attempts(SIGN)).toBe(0);
    kms.clear();
    await expectRecovered();
    expect(kms.attempts(GET_PUBLIC_KEY)).toBe(3);
  });
});

describe('what the faults left in the log', () => {
  it('names the dependency and the SDK error for operators, and never a secret, the header or a token', () => {
    const records = output.records();
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'Dependency unavailable', dependency: 'KMS', errorName: 'ThrottlingException' }),
        expect.objectContaining({ message: 'Dependency unavailable', dependency: 'KMS', errorName: 'DisabledException' }),
        expect.objectContaining({ message: 'Dependency unavailable', dependency: 'DynamoDB', errorName: 'ProvisionedThroughputExceededException' }),
        expect.objectContaining({ message: 'Dependency unavailable', dependency: 'DynamoDB', errorName: 'TimeoutError' }),
      ]),
    );
    const log = output.text();
    const authorization = basicAuthorization(client.clientId, client.clientSecret);
    for (const secret of [client.clientSecret, authorization, authorization.slice('Basic '.length)]) expect(log).not.toContain(secret);
    expect(issued.length).toBeGreaterThan(10);
    for (const token of issued) for (const segment of token.split('.').slice(1)) expect(log).not.toContain(segment);
  });
});
