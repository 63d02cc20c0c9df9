import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { makeProductsApi } from '../../functions/products/products-api.js';
import type { Product } from '../../functions/products/product.js';
import type { ProductStore } from '../../functions/products/product-store.js';
import { routeScopes, type Route } from '../../functions/products/route-scopes.js';
import { SEED_PRODUCTS } from '../../functions/products/seed.js';
import { recordingLogger } from '../support/recording-logger.js';
import { inMemoryProductStore, unavailableProductStore } from './in-memory-product-store.js';

const NOW = 1_750_000_000;
const SKEW = 30;
const ALL_SCOPES = [...new Set(Object.values(routeScopes))];
const NEW_ID = '0b8e5c1a-2f4d-4a6b-8c9d-e0f1a2b3c4d5';
const EXISTING = SEED_PRODUCTS[0] as Product;

interface RequestShape {
  scope?: string;
  authorizer?: Record<string, unknown> | null;
  id?: string;
  query?: Record<string, string>;
  body?: string | null;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
  stage?: string;
}

function request(route: string, shape: RequestShape = {}): APIGatewayProxyEvent {
  const [httpMethod = '', resource = ''] = route.split(' ');
  const path = resource.replace('{id}', shape.id ?? EXISTING.id);
  const authorizer =
    shape.authorizer !== undefined
      ? shape.authorizer
      : { principalId: 'client-1', clientId: 'client-1', scope: shape.scope ?? ALL_SCOPES.join(' '), jti: 'j-1', exp: String(NOW + 600) };
  return {
    httpMethod,
    resource,
    path,
    headers: shape.headers ?? (shape.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    multiValueHeaders: {},
    queryStringParameters: shape.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: resource.includes('{id}') ? { id: shape.id ?? EXISTING.id } : null,
    stageVariables: null,
    body: shape.body ?? null,
    isBase64Encoded: shape.isBase64Encoded ?? false,
    requestContext: { authorizer, path: `${shape.stage === undefined ? '/v1' : shape.stage}${path}`, stage: 'v1' },
  } as unknown as APIGatewayProxyEvent;
}

function api(store: ProductStore = inMemoryProductStore(SEED_PRODUCTS)) {
  const log = recordingLogger();
  const handle = makeProductsApi({ store, logger: log.logger, clockSkewSeconds: SKEW, clock: () => new Date(NOW * 1000), newId: () => NEW_ID });
  return { handle, log, store };
}

const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;
const validBody = JSON.stringify({ name: 'Tamper', price: 35 });

/** A request each route can succeed with, given enough scope. */
const sufficientRequest: Record<Route, RequestShape> = {
  'GET /products': {},
  'GET /products/{id}': {},
  'POST /products': { body: validBody },
  'DELETE /products/{id}': {},
};
const successStatus: Record<Route, number> = {
  'GET /products': 200,
  'GET /products/{id}': 200,
  'POST /products': 201,
  'DELETE /products/{id}': 204,
};

describe('route → scope table drives enforcement (RFC 6750 §3.1)', () => {
  const routes = Object.keys(routeScopes) as Route[];

  it('is the documented policy: read to list and get, write to create, delete to delete', () => {
    expect(routeScopes).toEqual({
      'GET /products': 'products:read',
      'GET /products/{id}': 'products:read',
      'POST /products': 'products:write',
      'DELETE /products/{id}': 'products:delete',
    });
  });

  describe.each(routes)('%s', (route) => {
    const needed = routeScopes[route];
    const others = ALL_SCOPES.filter((scope) => scope !== needed);

    it(`succeeds with exactly "${needed}"`, async () => {
      const result = await api().handle(request(route, { ...sufficientRequest[route], scope: needed }));
      expect(result.statusCode).toBe(successStatus[route]);
    });

    it('succeeds with every scope', async () => {
      const result = await api().handle(request(route, { ...sufficientRequest[route], scope: ALL_SCOPES.join(' ') }));
      expect(result.statusCode).toBe(successStatus[route]);
    });

    it.each([
      ['no scope at all', ''],
      ['every other scope', others.join(' ')],
      ['a look-alike scope', `${needed}x ${needed.toUpperCase()}`],
    ])(`answers 403 insufficient_scope naming "${needed}" with %s`, async (_label, scope) => {
      const { handle, store } = api();
      const before = await store.list(100);
      const result = await handle(request(route, { ...sufficientRequest[route], scope }));
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['WWW-Authenticate']).toBe(`Bearer error="insufficient_scope", scope="${needed}"`);
      expect(json(result)).toEqual({ error: 'insufficient_scope', error_description: expect.stringContaining(needed), scope: needed });
      // Refused before any work: the store is untouched.
      expect(await store.list(100)).toEqual(before);
    });
  });

  it('checks the scope before reading the body, so an unscoped caller learns nothing about validation', async () => {
    const result = await api().handle(request('POST /products', { body: '{not json', scope: 'products:read' }));
    expect(result.statusCode).toBe(403);
  });
});

describe('the authorizer context is the only source of identity', () => {
  it.each([
    ['absent', null],
    ['empty', {}],
    ['without clientId', { scope: 'products:read', exp: String(NOW + 60) }],
    ['with scope as an array', { clientId: 'c', scope: ['products:read'], exp: String(NOW + 60) }],
    ['without exp', { clientId: 'c', scope: 'products:read' }],
    ['with a malformed scope', { clientId: 'c', scope: 'products:read  products:write', exp: String(NOW + 60) }],
  ])('fails closed with 401 when the context is %s', async (_label, authorizer) => {
    const { handle, log } = api();
    const result = await handle(request('GET /products', { authorizer }));
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect(json(result)).toMatchObject({ error: 'invalid_token' });
    expect(log.entries.map((entry) => entry.level)).toEqual(['warn']);
  });

  it('never reads the Authorization header', async () => {
    const result = await api().handle({
      ...request('GET /products', { authorizer: null }),
      headers: { Authorization: 'Bearer anything' },
    });
    expect(result.statusCode).toBe(401);
  });

  it('refuses a token that expired after API Gateway cached its Allow', async () => {
    const authorizer = { clientId: 'c', scope: 'products:read', exp: String(NOW - SKEW - 1) };
    const result = await api().handle(request('GET /products', { authorizer }));
    expect(result.statusCode).toBe(401);
    expect(json(result)).toMatchObject({ error_description: 'The access token has expired' });
  });

  it('accepts a token expired by less than the clock skew', async () => {
    const authorizer = { clientId: 'c', scope: 'products:read', exp: String(NOW - SKEW + 1) };
    expect((await api().handle(request('GET /products', { authorizer }))).statusCode).toBe(200);
  });
});

describe('GET /products', () => {
  it('lists products as { items } with a default page size of 20', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `P${i}`, price: i }));
    const result = await api(inMemoryProductStore(many)).handle(request('GET /products'));
    expect(result.statusCode).toBe(200);
    const body = json(result) as { items: Product[]; next?: string };
    expect(body.items).toHaveLength(20);
    expect(typeof body.next).toBe('string');
  });

  it('omits next on the last page', async () => {
    const body = json(await api().handle(request('GET /products', { query: { limit: '100' } })));
    expect(body).toEqual({ items: expect.any(Array) });
    expect(body.items).toHaveLength(SEED_PRODUCTS.length);
  });

  it('round-trips the cursor until every product has been seen once', async () => {
    const { handle } = api();
    const seen: string[] = [];
    let query: Record<string, string> = { limit: '1' };
    for (let pages = 0; pages < 10; pages++) {
      const result = await handle(request('GET /products', { query }));
      expect(result.statusCode).toBe(200);
      const body = json(result) as { items: Product[]; next?: string };
      seen.push(...body.items.map((item) => item.id));
      if (body.next === undefined) break;
      expect(body.next).toMatch(/^[A-Za-z0-9_-]+$/);
      query = { limit: '1', next: body.next };
    }
    expect(seen.sort()).toEqual(SEED_PRODUCTS.map((product) => product.id).sort());
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', ' 5', '1e1', '0x10', '007x'])('answers 400 for limit=%j', async (limit) => {
    const result = await api().handle(request('GET /products', { query: { limit } }));
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ error: 'invalid_request', error_description: 'limit: must be an integer from 1 to 100' });
  });

  it.each([
    ['garbage', '!!!'],
    ['not base64url JSON', 'bm90IGpzb24'],
    ['a JSON array', Buffer.from('[1]').toString('base64url')],
    ['an id that is not a uuid', Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url')],
    ['an extra key', Buffer.from(JSON.stringify({ id: EXISTING.id, admin: true })).toString('base64url')],
    ['a DynamoDB-typed key', Buffer.from(JSON.stringify({ id: { S: EXISTING.id } })).toString('base64url')],
    ['padding', `${Buffer.from(JSON.stringify({ id: EXISTING.id })).toString('base64')}=`],
    ['an oversized value', 'A'.repeat(5000)],
  ])('answers 400 for a forged cursor: %s', async (_label, next) => {
    const result = await api().handle(request('GET /products', { query: { next } }));
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ error: 'invalid_request', error_description: 'next: not a cursor returned by this API' });
  });

  it('never crashes on an arbitrary cursor: 200 for a well-formed one, 400 otherwise', async () => {
    const { handle } = api();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (next) => {
        const { statusCode } = await handle(request('GET /products', { query: { next } }));
        return statusCode === 200 || statusCode === 400;
      }),
    );
  });
});

describe('GET /products/{id}', () => {
  it('answers the product', async () => {
    const result = await api().handle(request('GET /products/{id}'));
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual(EXISTING);
  });

  it.each([
    ['an unknown id', '7d3b1f2e-4c5a-4e6f-9a8b-1c2d3e4f5a6b'],
    ['a malformed id', 'not-a-uuid'],
    ['an injection attempt', "' OR 1=1 --"],
  ])('answers 404 for %s', async (_label, id) => {
    const result = await api().handle(request('GET /products/{id}', { id }));
    expect(result.statusCode).toBe(404);
    expect(json(result)).toMatchObject({ error: 'not_found' });
  });
});

describe('POST /products', () => {
  it('creates the product with a server-made id and answers 201 with Location under the stage path', async () => {
    const { handle, store } = api(inMemoryProductStore());
    const body = JSON.stringify({ name: '  Tamper  ', price: 34.99, description: 'Flat, 58 mm' });
    const result = await handle(request('POST /products', { body }));
    expect(result.statusCode).toBe(201);
    expect(result.headers?.Location).toBe(`/v1/products/${NEW_ID}`);
    const created = { id: NEW_ID, name: 'Tamper', price: 34.99, description: 'Flat, 58 mm' };
    expect(json(result)).toEqual(created);
    expect(await store.get(NEW_ID)).toEqual(created);
  });

  it('builds Location without a prefix when the API is served at the root', async () => {
    const result = await api().handle(request('POST /products', { body: validBody, stage: '' }));
    expect(result.headers?.Location).toBe(`/products/${NEW_ID}`);
  });

  it('reads a base64-encoded body', async () => {
    const result = await api().handle(
      request('POST /products', { body: Buffer.from(validBody).toString('base64'), isBase64Encoded: true }),
    );
    expect(result.statusCode).toBe(201);
    expect(json(result)).toMatchObject({ name: 'Tamper', price: 35 });
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])('accepts Content-Type %s', async (type) => {
    const result = await api().handle(request('POST /products', { body: validBody, headers: { 'content-type': type } }));
    expect(result.statusCode).toBe(201);
  });

  it.each([
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['no Content-Type', {}],
  ])('answers 415 for %s', async (_label, headers) => {
    const result = await api().handle(request('POST /products', { body: validBody, headers }));
    expect(result.statusCode).toBe(415);
    expect(json(result)).toMatchObject({ error: 'unsupported_media_type' });
  });

  it.each([
    ['no body', null, 'The request body is not valid JSON'],
    ['malformed JSON', '{"name":', 'The request body is not valid JSON'],
    ['a JSON array', '[]', 'body must be a JSON object'],
    ['a missing name', '{"price":1}', 'name: is required'],
    ['a blank name', '{"name":"   ","price":1}', 'name: must not be empty'],
    ['a name of 201 characters', JSON.stringify({ name: 'n'.repeat(201), price: 1 }), 'name: must be at most 200 characters'],
    ['a numeric name', '{"name":5,"price":1}', 'name: must be a string'],
    ['a missing price', '{"name":"x"}', 'price: is required'],
    ['a string price', '{"name":"x","price":"1"}', 'price: must be a number'],
    ['a negative price', '{"name":"x","price":-0.01}', 'price: must not be negative'],
    ['three decimals', '{"name":"x","price":1.005}', 'price: must have at most 2 decimal places'],
    ['an infinite price', '{"name":"x","price":1e999}', 'price: must be a number'],
    ['a long description', JSON.stringify({ name: 'x', price: 1, description: 'd'.repeat(2001) }), 'description: must be at most 2000 characters'],
    ['a null description', '{"name":"x","price":1,"description":null}', 'description: must be a string'],
    ['a client-chosen id', `{"id":"${NEW_ID}","name":"x","price":1}`, 'unknown field "id"'],
    ['a misspelt field', '{"name":"x","price":1,"desciption":"y"}', 'unknown field "desciption"'],
  ])('answers 400 naming the problem for %s', async (_label, body, description) => {
    const { handle, store } = api(inMemoryProductStore());
    const result = await handle(request('POST /products', { body, headers: { 'Content-Type': 'application/json' } }));
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ error: 'invalid_request', error_description: description });
    expect((await store.list(10)).items).toEqual([]);
  });

  it('names at most three unknown fields, each cut to 40 characters, and counts the rest, so the answer stays small', async () => {
    const unknown = Array.from({ length: 5000 }, (_, i) => [`${'k'.repeat(60)}${i}`, 1]);
    const body = JSON.stringify({ name: 'x', price: 1, ...Object.fromEntries(unknown) });
    const result = await api().handle(request('POST /products', { body, headers: { 'Content-Type': 'application/json' } }));
    expect(result.statusCode).toBe(400);
    const cut = `unknown field "${'k'.repeat(40)}…"`;
    expect(json(result).error_description).toBe(`${cut}; ${cut}; ${cut}; and 4997 more unknown fields`);
    expect(result.body.length).toBeLessThan(300);
  });

  it('names every invalid field at once', async () => {
    const result = await api().handle(request('POST /products', { body: '{"name":"","price":-1}' }));
    expect(json(result).error_description).toBe('name: must not be empty; price: must not be negative');
  });

  it('accepts a price of 0 and whole cents such as 0.07', async () => {
    for (const price of [0, 0.07, 19.99, 1_000_000]) {
      const result = await api().handle(request('POST /products', { body: JSON.stringify({ name: 'x', price }) }));
      expect(result.statusCode).toBe(201);
    }
  });
});

describe('DELETE /products/{id}', () => {
  it('answers 204 and removes the product, then 404', async () => {
    const { handle, store } = api();
    const first = await handle(request('DELETE /products/{id}'));
    expect(first.statusCode).toBe(204);
    expect(first.body).toBe('');
    expect(await store.get(EXISTING.id)).toBeUndefined();
    expect((await handle(request('DELETE /products/{id}'))).statusCode).toBe(404);
  });

  it('answers 404 for a malformed id', async () => {
    expect((await api().handle(request('DELETE /products/{id}', { id: 'nope' }))).statusCode).toBe(404);
  });
});

describe('failures', () => {
  it('answers 404 for a route the table does not declare', async () => {
    const result = await api().handle(request('PUT /products/{id}'));
    expect(result.statusCode).toBe(404);
  });

  it.each(Object.keys(routeScopes) as Route[])('answers %s with 503 and Retry-After when the store is down, revealing nothing', async (route) => {
    const { handle, log } = api(unavailableProductStore());
    const result = await handle(request(route, sufficientRequest[route]));
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('1');
    expect(json(result)).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(result.body).not.toContain('DynamoDB');
    expect(log.entries.map((entry) => entry.level)).toEqual(['error']);
  });

  it('answers 500 with a generic body for an unexpected failure', async () => {
    const broken: ProductStore = { ...inMemoryProductStore(), get: async () => { throw new TypeError('secret internals'); } };
    const { handle, log } = api(broken);
    const result = await handle(request('GET /products/{id}'));
    expect(result.statusCode).toBe(500);
    expect(json(result)).toEqual({ error: 'server_error', error_description: 'Internal error' });
    expect(result.body).not.toContain('secret');
    expect(log.text()).toContain('TypeError');
  });

  it('sends Cache-Control: no-store on every answer', async () => {
    for (const event of [request('GET /products'), request('GET /products', { authorizer: null }), request('GET /products', { scope: '' })]) {
      expect((await api().handle(event)).headers?.['Cache-Control']).toBe('no-store');
    }
  });
});
