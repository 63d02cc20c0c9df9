import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../functions/products/page-cursor.js';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, isProductId, type Product } from '../../functions/products/product.js';
import { makeProductsApi } from '../../functions/products/products-api.js';
import { routeScopes, type Route } from '../../functions/products/route-scopes.js';
import { SEED_PRODUCTS } from '../../functions/products/seed.js';
import { inMemoryProductStore } from '../products/in-memory-product-store.js';
import { recordingLogger } from '../support/recording-logger.js';
import { fuzz } from './support/fuzz-runs.js';
import { scopeString, scopeTokens, text } from './support/token-arbitraries.js';

/**
 * Property-based tests of the products API's parsers of untrusted input — the JSON product body, the
 * paging parameters (the cursor comes back from clients), the scope the authorizer passed on, and the
 * event — through the handler as handler.ts wires it (middy, header normalisation, security headers)
 * over an in-memory store. Every answer is a well-formed JSON answer from the expected set, never a 5xx.
 */
const NOW = 1_750_000_000;
const ALL_SCOPES = [...new Set(Object.values(routeScopes))].join(' ');
const SEEDED = SEED_PRODUCTS[0] as Product;
const NEW_ID = '0b8e5c1a-2f4d-4a6b-8c9d-e0f1a2b3c4d5';
const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function productsHandler() {
  const store = inMemoryProductStore(SEED_PRODUCTS);
  const log = recordingLogger();
  const api = makeProductsApi({ store, logger: log.logger, clockSkewSeconds: 30, clock: () => new Date(NOW * 1000), newId: () => NEW_ID });
  const handler = middy(api).use(httpHeaderNormalizer()).use(httpSecurityHeaders());
  return { store, log, call: (event: APIGatewayProxyEvent) => handler(event, context) as Promise<APIGatewayProxyResult> };
}

interface EventShape {
  route: Route;
  scope?: string;
  authorizer?: unknown;
  id?: string;
  query?: Record<string, string> | null;
  body?: string | null;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
}

function productsEvent({ route, scope = ALL_SCOPES, authorizer, id = SEEDED.id, query = null, body = null, headers = {}, isBase64Encoded = false }: EventShape): APIGatewayProxyEvent {
  const [httpMethod = 'GET', resource = '/products'] = route.split(' ');
  const path = resource.replace('{id}', id);
  return {
    httpMethod,
    resource,
    path,
    headers,
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    pathParameters: resource.includes('{id}') ? { id } : null,
    stageVariables: null,
    body,
    isBase64Encoded,
    requestContext: {
      authorizer: authorizer === undefined ? { principalId: 'client-1', clientId: 'client-1', scope, jti: 'j', exp: String(NOW + 600) } : authorizer,
      path: `/v1${path}`,
      stage: 'v1',
    },
  } as unknown as APIGatewayProxyEvent;
}

const ERRORS_BY_STATUS: Record<number, string> = { 400: 'invalid_request', 401: 'invalid_token', 403: 'insufficient_scope', 404: 'not_found', 415: 'unsupported_media_type' };

/** Status from the expected set, JSON body in RFC 6750 §3 shape for errors, never cacheable. */
function expectWellFormed(response: APIGatewayProxyResult, allowedStatuses: readonly number[]): unknown {
  expect(allowedStatuses, response.body).toContain(response.statusCode);
  expect(response.headers?.['Cache-Control']).toBe('no-store');
  if (response.statusCode === 204) {
    expect(response.body).toBe('');
    return undefined;
  }
  const body = JSON.parse(response.body) as Record<string, unknown>;
  const error = ERRORS_BY_STATUS[response.statusCode];
  if (error !== undefined) {
    expect(body.error).toBe(error);
    expect(body.error_description).toBeTypeOf('string');
  }
  return body;
}

/** The POST /products body, written out from the API's documented rules rather than from its schema. */
function expectedProduct(input: unknown): Omit<Product, 'id'> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const fields = input as Record<string, unknown>;
  if (Object.keys(fields).some((key) => !['name', 'price', 'description'].includes(key))) return undefined;
  const { name, price, description } = fields;
  if (typeof name !== 'string' || name.trim().length < 1 || name.trim().length > MAX_NAME_LENGTH) return undefined;
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) return undefined;
  const cents = Math.round(price * 100);
  if (!Number.isSafeInteger(cents) || cents / 100 !== price) return undefined;
  if (description !== undefined && (typeof description !== 'string' || description.trim().length > MAX_DESCRIPTION_LENGTH)) return undefined;
  return { name: name.trim(), price, ...(typeof description === 'string' && { description: description.trim() }) };
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: anyJson });
const productLike = fc.record(
  {
    name: field(fc.oneof(text({ minLength: 1, maxLength: 30 }), fc.constantFrom('  kettle  ', ' ', '', 'n'.repeat(200), 'n'.repeat(201), ` ${'n'.repeat(200)} `))),
    price: field(
      fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: -5, max: 1_000_000 }) },
        { weight: 1, arbitrary: fc.double({ min: -1, max: 1e6, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(19.99, 0.07, 0.1 + 0.2, 1.005, 1e308, Number.MAX_SAFE_INTEGER / 100, -0) },
      ),
    ),
    description: field(fc.oneof(text({ maxLength: 30 }), fc.constantFrom('d'.repeat(2000), 'd'.repeat(2001), ` ${'d'.repeat(2000)} `, ''))),
    id: fc.constantFrom(SEEDED.id, 'mine'),
    extra: anyJson,
  },
  { requiredKeys: ['name', 'price', 'id', 'extra'] },
).map((record) => {
  // Usually only the product's own fields; sometimes a client-chosen id or another member.
  const { id, extra, ...product } = record;
  return { product, id, extra };
});

const contentTypes = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON', ' application/json ') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/jsonx', 'application/x-www-form-urlencoded', 'application/json-patch+json', undefined) },
);
const mediaTypeIsJson = (contentType: string | undefined) => contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';

describe('POST /products body', () => {
  it('creates exactly the products the rules allow, as given (trimmed), under a server-made id', async () => {
    const cases = fc.record({
      value: fc.oneof(
        { weight: 4, arbitrary: productLike.map(({ product }) => product as unknown) },
        { weight: 1, arbitrary: productLike.map(({ product, id }) => ({ ...product, id }) as unknown) },
        { weight: 1, arbitrary: productLike.map(({ product, extra }) => ({ ...product, owner: extra }) as unknown) },
        { weight: 1, arbitrary: anyJson as fc.Arbitrary<unknown> },
      ),
      contentType: contentTypes,
      base64: fc.boolean(),
    });
    const created = { yes: 0, no: 0 };
    await fuzz('productInput', cases, async ({ value, contentType, base64 }) => {
      const { call, store } = productsHandler();
      const json = JSON.stringify(value) ?? 'undefined';
      const response = await call(
        productsEvent({
          route: 'POST /products',
          body: base64 ? Buffer.from(json, 'utf8').toString('base64') : json,
          isBase64Encoded: base64,
          headers: contentType === undefined ? {} : { 'Content-Type': contentType },
        }),
      );
      const expected = mediaTypeIsJson(contentType) ? expectedProduct(JSON.parse(json) as unknown) : undefined;
      const status = !mediaTypeIsJson(contentType) ? 415 : expected === undefined ? 400 : 201;
      const body = expectWellFormed(response, [status]);
      if (expected === undefined) {
        expect(store.products.size).toBe(SEED_PRODUCTS.length);
        created.no += 1;
        return;
      }
      expect(body).toStrictEqual({ id: NEW_ID, ...expected });
      expect(store.products.get(NEW_ID)).toStrictEqual({ id: NEW_ID, ...expected });
      created.yes += 1;
    });
    expect(created.yes).toBeGreaterThan(100);
    expect(created.no).toBeGreaterThan(300);
  });
});

const base64url = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
const cursors = fc.oneof(
  { weight: 3, arbitrary: fc.uuid().map((id) => encodeCursor({ id })) },
  { weight: 3, arbitrary: fc.constantFrom(...SEED_PRODUCTS.map(({ id }) => encodeCursor({ id }))) },
  fc.uuid().map((id) => base64url(JSON.stringify({ id, more: true }))),
  fc.uuid().map((id) => base64url(`{"id":"${id}","id":"${id}"}`)),
  anyJson.map((value) => base64url(JSON.stringify(value))),
  fc.string({ maxLength: 40 }),
  fc.uuid(),
  fc.nat(400).map((length) => 'A'.repeat(length)),
  fc.uuid().map((id) => `${encodeCursor({ id })}=`),
);
const limits = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(undefined, '1', '2', '20', '100', '007') },
  { weight: 1, arbitrary: fc.constantFrom('0', '101', '-1', '1.5', '1e1', ' 5', 'ten', '', '0x1') },
);

/** The `next` cursor rules (page-cursor.ts), restated: base64url of exactly {"id": <UUID>}, at most 256 characters. */
function cursorIsValid(next: string): boolean {
  if (next.length > 256 || !/^[A-Za-z0-9_-]+$/.test(next)) return false;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return false;
  const keys = Object.keys(decoded);
  return keys.length === 1 && keys[0] === 'id' && isProductId((decoded as { id: unknown }).id);
}
const limitIsValid = (limit: string | undefined) => limit === undefined || (/^\d{1,3}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100);

describe('GET /products paging parameters', () => {
  it('pages with exactly the cursors this API hands out and refuses every other with 400', async () => {
    const { call } = productsHandler();
    const outcomes = { paged: 0, refused: 0 };
    await fuzz('pageCursor', fc.record({ next: fc.option(cursors, { nil: undefined, freq: 6 }), limit: limits }), async ({ next, limit }) => {
      const query = { ...(next !== undefined && { next }), ...(limit !== undefined && { limit }) };
      const response = await call(productsEvent({ route: 'GET /products', query: Object.keys(query).length === 0 ? null : query }));
      const valid = limitIsValid(limit) && (next === undefined || cursorIsValid(next));
      const body = expectWellFormed(response, [valid ? 200 : 400]) as { items?: Product[]; next?: string };
      if (!valid) {
        outcomes.refused += 1;
        return;
      }
      outcomes.paged += 1;
      expect(body.items?.length).toBeLessThanOrEqual(limit === undefined ? 20 : Number(limit));
      if (next !== undefined) for (const item of body.items ?? []) expect(item.id > (JSON.parse(Buffer.from(next, 'base64url').toString()) as { id: string }).id).toBe(true);
    });
    expect(outcomes.paged).toBeGreaterThan(200);
    expect(outcomes.refused).toBeGreaterThan(200);
  });
});

const successStatus: Record<Route, number> = { 'GET /products': 200, 'GET /products/{id}': 200, 'POST /products': 201, 'DELETE /products/{id}': 204 };
const ROUTES = Object.keys(routeScopes) as Route[];

describe('scope from the authorizer context (RFC 6750 §3.1)', () => {
  it('serves a route exactly when the well-formed scope holds its scope: 403 otherwise, 401 when malformed', async () => {
    const cases = fc.record({ route: fc.constantFrom(...ROUTES), scope: fc.oneof(scopeString, fc.constantFrom('', ALL_SCOPES, 'products:read', 'products:write', 'products:delete')) });
    await fuzz('scopeInContext', cases, async ({ route, scope }) => {
      const { call } = productsHandler();
      const response = await call(
        productsEvent({ route, scope, ...(route === 'POST /products' && { body: '{"name":"kettle","price":1}', headers: { 'content-type': 'application/json' } }) }),
      );
      const granted = scope === '' ? [] : scopeTokens(scope);
      const status = granted === undefined ? 401 : granted.includes(routeScopes[route]) ? successStatus[route] : 403;
      const body = expectWellFormed(response, [status]);
      if (status === 403) {
        expect(body).toMatchObject({ scope: routeScopes[route] });
        expect(response.headers?.['WWW-Authenticate']).toBe(`Bearer error="insufficient_scope", scope="${routeScopes[route]}"`);
      }
    });
  });
});

const headerNames = fc.constantFrom('Content-Type', 'content-type', 'CONTENT-TYPE', 'Authorization', 'X-Forwarded-For', 'Host', '__proto__', 'constructor');
const shapedEvents = fc.record({
  route: fc.constantFrom(...ROUTES),
  httpMethod: fc.option(fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'get', ''), { nil: undefined, freq: 3 }),
  resource: fc.option(fc.constantFrom('/products', '/products/{id}', '/products/', '/clients', ''), { nil: undefined, freq: 3 }),
  id: fc.oneof(fc.constant(SEEDED.id), fc.uuid(), text({ maxLength: 40 })),
  query: fc.oneof(fc.constant(null), fc.dictionary(fc.constantFrom('limit', 'next', 'x', '__proto__'), text({ maxLength: 30 }), { maxKeys: 3 })),
  headers: fc.dictionary(headerNames, fc.oneof(text({ maxLength: 30 }), fc.constant('application/json')), { maxKeys: 3 }),
  body: fc.oneof(fc.constant(null), text({ maxLength: 60 }), anyJson.map((value) => JSON.stringify(value) ?? 'null')),
  isBase64Encoded: fc.boolean(),
  authorizer: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}, 'context', { clientId: 'c', scope: 'products:read', exp: 'soon' }, { clientId: '', scope: ALL_SCOPES, exp: String(NOW + 60) }, { clientId: 'c', scope: ALL_SCOPES, exp: String(NOW - 3600) }) },
  ),
});

describe('the API Gateway event itself', () => {
  it('answers events of any shape with a well-formed JSON answer, never a 5xx', async () => {
    await fuzz('productsEventShapes', shapedEvents, async (shape) => {
      const { call } = productsHandler();
      const event = productsEvent(shape);
      if (shape.httpMethod !== undefined) event.httpMethod = shape.httpMethod;
      if (shape.resource !== undefined) event.resource = shape.resource;
      expectWellFormed(await call(event), [200, 201, 204, 400, 401, 403, 404, 415]);
    });
  });
});
