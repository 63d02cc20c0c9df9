import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { SEED_PRODUCTS, seedProducts } from '../../functions/products/seed.js';
import { dynamoProductStore } from '../../functions/products/dynamo-product-store.js';
import { startTemplateTable, type TemplateTableFixture } from '../support/template-table.js';
import { productsEvent } from '../support/products-events.js';

/** The deployed wiring (handler.ts: config, DynamoDB adapter, middy) against dynalite. */
let dynamo: TemplateTableFixture;
let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  dynamo = await startTemplateTable('ProductsTable');
  const tableName = await dynamo.createTable();
  await seedProducts(dynamoProductStore({ client: dynamo.documentClient, tableName }));
  vi.stubEnv('PRODUCTS_TABLE', tableName);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.resetModules();
  ({ handler } = (await import('../../functions/products/handler.js')) as unknown as { handler: typeof handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await dynamo.close();
});

const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const CALLER = { clientId: 'c', scope: 'products:read products:write' };

function event(httpMethod: string, resource: string, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return productsEvent(httpMethod, resource, CALLER, extra);
}

describe('products handler', () => {
  it('creates a product and reads it back through DynamoDB, with security headers', async () => {
    const created = await handler(
      event('POST', '/products', { headers: { 'CONTENT-TYPE': 'application/json' }, body: '{"name":"Knock box","price":27.5}' }),
      context,
    );
    expect(created.statusCode).toBe(201);
    expect(created.headers?.['Strict-Transport-Security']).toContain('max-age=');
    expect(created.headers?.['X-Content-Type-Options']).toBe('nosniff');
    const { id } = JSON.parse(created.body) as { id: string };
    expect(created.headers?.Location).toBe(`/v1/products/${id}`);

    const read = await handler(event('GET', '/products/{id}', { pathParameters: { id } }), context);
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body)).toEqual({ id, name: 'Knock box', price: 27.5 });
  });

  it('lists the seeded products', async () => {
    const listed = await handler(event('GET', '/products', { queryStringParameters: { limit: '100' } }), context);
    const { items } = JSON.parse(listed.body) as { items: { id: string }[] };
    expect(items.map((item) => item.id)).toEqual(expect.arrayContaining(SEED_PRODUCTS.map((product) => product.id)));
  });

  it('refuses DELETE without products:delete', async () => {
    const result = await handler(event('DELETE', '/products/{id}', { pathParameters: { id: SEED_PRODUCTS[0]?.id ?? '' } }), context);
    expect(result.statusCode).toBe(403);
    expect(result.headers?.['WWW-Authenticate']).toBe('Bearer error="insufficient_scope", scope="products:delete"');
  });
});
