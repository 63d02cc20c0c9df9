import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_PRODUCTS } from '../../functions/products/seed.js';
import { testStack } from '../support/stack-clients.js';
import type { TestStack } from '../support/test-stack.js';
import { captureOutput } from '../token/support/log-capture.js';
import { awsError, HANG, startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy.js';
import { coldStart, HANG_BOUNDS, INTERNALS, stubFunctionEnv, timed } from './support/handler-env.js';
import { productsEvent } from '../support/products-events.js';

/**
 * The deployed products handler (functions/products/handler.ts) against the test stack's products table
 * through a fault proxy. Every operation it makes — Scan, GetItem, PutItem, DeleteItem — meets throttling,
 * a hang and a refused connection: each ends in 503 temporarily_unavailable with Retry-After inside the
 * Lambda timeout, revealing nothing, and the same request succeeds once DynamoDB is back.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const DYNAMODB_ERROR = 'com.amazonaws.dynamodb.v20120810#';
const SEEDED = SEED_PRODUCTS[0]?.id ?? '';
const UNAVAILABLE = { error: 'temporarily_unavailable', error_description: 'The product store is temporarily unavailable; retry later' };

let stack: TestStack;
let dynamodb: FaultProxy;
let handler: Handler;
let output: ReturnType<typeof captureOutput>;
const created: string[] = [];

const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const CALLER = { clientId: 'faults', scope: 'products:read products:write products:delete' };

function event(httpMethod: string, resource: string, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return productsEvent(httpMethod, resource, CALLER, extra);
}

const NEW_PRODUCT = JSON.stringify({ name: 'Fault-tolerant kettle', price: 30 });

interface Operation {
  operation: string;
  request: () => Promise<APIGatewayProxyEvent>;
  success: number;
}

/** One request per DynamoDB operation the API makes, and what it answers when DynamoDB is well. */
const operations = {
  'GET /products (Scan)': { operation: 'DynamoDB_20120810.Scan', request: async () => event('GET', '/products'), success: 200 },
  'GET /products/{id} (GetItem)': {
    operation: 'DynamoDB_20120810.GetItem',
    request: async () => event('GET', '/products/{id}', { pathParameters: { id: SEEDED } }),
    success: 200,
  },
  'POST /products (PutItem)': {
    operation: 'DynamoDB_20120810.PutItem',
    request: async () => event('POST', '/products', { headers: { 'Content-Type': 'application/json' }, body: NEW_PRODUCT }),
    success: 201,
  },
  'DELETE /products/{id} (DeleteItem)': {
    operation: 'DynamoDB_20120810.DeleteItem',
    request: async () => event('DELETE', '/products/{id}', { pathParameters: { id: await createProduct() } }),
    success: 204,
  },
} satisfies Record<string, Operation>;

async function createProduct(): Promise<string> {
  const response = await handler(event('POST', '/products', { headers: { 'Content-Type': 'application/json' }, body: NEW_PRODUCT }), context);
  const { id } = JSON.parse(response.body) as { id: string };
  created.push(id);
  return id;
}

async function call(request: APIGatewayProxyEvent): Promise<{ response: APIGatewayProxyResult; ms: number }> {
  const { result: response, ms } = await timed(() => handler(request, context));
  if (response.statusCode === 201) created.push((JSON.parse(response.body) as { id: string }).id);
  return { response, ms };
}

function expectUnavailable(response: APIGatewayProxyResult): void {
  expect(response.statusCode).toBe(503);
  expect(JSON.parse(response.body)).toStrictEqual(UNAVAILABLE);
  expect(response.headers).toMatchObject({ 'Retry-After': '1', 'Cache-Control': 'no-store' });
  expect(`${response.body}${JSON.stringify(response.headers)}`).not.toMatch(INTERNALS);
}

beforeAll(async () => {
  stack = testStack();
  dynamodb = await startFaultProxy(stack.dynamodbEndpoint);
  stubFunctionEnv(stack, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    PRODUCTS_TABLE: stack.productsTable,
    CLOCK_SKEW_SECONDS: '30',
    POWERTOOLS_SERVICE_NAME: 'products',
  });
  output = captureOutput();
  handler = await coldStart<Handler>(() => import('../../functions/products/handler.js'));
});

afterAll(async () => {
  dynamodb.clear();
  for (const id of created) await handler(event('DELETE', '/products/{id}', { pathParameters: { id } }), context);
  output.stop();
  vi.unstubAllEnvs();
  await dynamodb.close();
});

beforeEach(() => {
  dynamodb.clear();
  dynamodb.resetAttempts();
});

const faults: [string, Fault][] = [
  ['throttled (ProvisionedThroughputExceededException)', awsError(`${DYNAMODB_ERROR}ProvisionedThroughputExceededException`, 'Throughput exceeds the provisioned capacity')],
  ['failing (InternalServerError, 500)', awsError(`${DYNAMODB_ERROR}InternalServerError`, 'Internal server error', 500)],
];

describe.each(Object.entries(operations) as [string, Operation][])('%s while DynamoDB misbehaves', (_, { operation, request, success }) => {
  it.each(faults)('answers 503 while DynamoDB is %s, with bounded retries, then serves the request', async (_fault, fault) => {
    const prepared = await request();
    dynamodb.inject(operation, fault);
    expectUnavailable((await call(prepared)).response);
    expect(dynamodb.attempts(operation)).toBe(2);
    dynamodb.clear();
    expect((await call(prepared)).response.statusCode).toBe(success);
  });

  it('answers 503 at once while DynamoDB refuses connections, then serves the request', async () => {
    const prepared = await request();
    await dynamodb.stop();
    try {
      const { response, ms } = await call(prepared);
      expectUnavailable(response);
      expect(ms).toBeLessThan(HANG_BOUNDS.atLeastMs);
    } finally {
      await dynamodb.start();
    }
    expect((await call(prepared)).response.statusCode).toBe(success);
  });
});

describe('products API while DynamoDB hangs', () => {
  it('answers 503 within the Lambda timeout, then serves the request', async () => {
    const { operation, request, success } = operations['GET /products/{id} (GetItem)'];
    const prepared = await request();
    dynamodb.inject(operation, HANG);
    const { response, ms } = await call(prepared);
    expectUnavailable(response);
    expect(ms).toBeGreaterThan(HANG_BOUNDS.atLeastMs);
    expect(ms).toBeLessThan(HANG_BOUNDS.underMs);
    expect(dynamodb.attempts(operation)).toBe(2);
    dynamodb.clear();
    expect((await call(prepared)).response.statusCode).toBe(success);
  }, 20_000);
});

describe('what the faults left in the log', () => {
  it('names the DynamoDB error for operators', () => {
    const records = output.records();
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'Product store unavailable', reason: 'DynamoDB: ProvisionedThroughputExceededException' }),
        expect.objectContaining({ message: 'Product store unavailable', reason: 'DynamoDB: TimeoutError' }),
      ]),
    );
  });
});
