import { expect } from 'vitest';
import { SEED_PRODUCTS } from '../../functions/products/seed.js';
import { routeScopes, type Route } from '../../functions/products/route-scopes.js';
import { apiError, gatewayAnswer, insufficientScope, type AttackCase, type Control } from './support/attack-case.js';
import { DELETE, READ, SCOPE_COMBINATIONS, WRITE, type AttackFixtures, type ScopeCombination } from './support/attack-fixtures.js';
import type { RawRequest, RawResponse } from './support/raw-http.js';

const SEEDED = SEED_PRODUCTS[0]?.id ?? '';
const JSON_TYPE = 'application/json';
const VALID_PRODUCT = JSON.stringify({ name: 'Attack catalogue kettle', price: 12.5 });

interface ApiRequest {
  method: string;
  path: string;
  token: string;
  body?: string;
  /** null: no Content-Type. */
  contentType?: string | null;
}

function apiRequest({ method, path, token, body, contentType = body === undefined ? null : JSON_TYPE }: ApiRequest): RawRequest {
  return {
    method,
    path,
    headers: { Authorization: `Bearer ${token}`, ...(contentType !== null && { 'Content-Type': contentType }) },
    ...(body !== undefined && { body }),
  };
}

const readAs = (path: string) => (fx: AttackFixtures) => apiRequest({ method: 'GET', path, token: fx.tokens[READ] });
const deleteAs = (path: string) => (fx: AttackFixtures) => apiRequest({ method: 'DELETE', path, token: fx.tokens[DELETE] });
const postAs = (body: string, contentType: string | null = JSON_TYPE) => (fx: AttackFixtures) =>
  apiRequest({ method: 'POST', path: '/products', token: fx.tokens[WRITE], body, contentType });
const cursor = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

const notFound = apiError(404, 'not_found');
const badRequest = apiError(400, 'invalid_request');
const unsupportedMediaType = apiError(415, 'unsupported_media_type');
const MISSING_AUTH_TOKEN = gatewayAnswer(403, 'Missing Authentication Token');

/** A request on each route that succeeds when the token holds the route's scope. */
const routeRequests: Record<Route, (fx: AttackFixtures, token: string) => Promise<RawRequest> | RawRequest> = {
  'GET /products': (_, token) => apiRequest({ method: 'GET', path: '/products?limit=2', token }),
  'GET /products/{id}': (_, token) => apiRequest({ method: 'GET', path: `/products/${SEEDED}`, token }),
  'POST /products': (_, token) => apiRequest({ method: 'POST', path: '/products', token, body: VALID_PRODUCT }),
  'DELETE /products/{id}': async (fx, token) => apiRequest({ method: 'DELETE', path: `/products/${await createProduct(fx)}`, token }),
};
const successStatus: Record<Route, number> = { 'GET /products': 200, 'GET /products/{id}': 200, 'POST /products': 201, 'DELETE /products/{id}': 204 };
const ROUTES = Object.keys(routeScopes) as Route[];

/** A fresh product to delete, made through the API with a write token. */
async function createProduct(fx: AttackFixtures): Promise<string> {
  const response = await fx.send(apiRequest({ method: 'POST', path: '/products', token: fx.tokens[WRITE], body: VALID_PRODUCT }));
  const id = (response.json as { id?: unknown } | undefined)?.id;
  if (response.status !== 201 || typeof id !== 'string') throw new Error(`could not create a product: ${response.status} ${response.text}`);
  fx.createdProducts.add(id);
  return id;
}

const holds = (combination: ScopeCombination, scope: string) => combination.split(' ').includes(scope);

/** RFC 6750 §3.1: every route with every scope combination that lacks the route's scope. */
const scopeMatrixAttacks: AttackCase[] = ROUTES.flatMap((route) =>
  SCOPE_COMBINATIONS.filter((combination) => !holds(combination, routeScopes[route])).map(
    (combination): AttackCase => ({
      attack: `${route} with a token holding only "${combination}"`,
      request: (fx) => routeRequests[route](fx, fx.tokens[combination]),
      expect: insufficientScope(routeScopes[route]),
    }),
  ),
);

/** A token our key signed with an empty scope: valid, but it opens no route, so the gateway refuses every one. */
const emptyScopeAttacks: AttackCase[] = ROUTES.map((route) => ({
  attack: `${route} with a signed token whose scope is empty`,
  request: async (fx) => routeRequests[route](fx, await fx.forger.sign(fx.forger.validHeader(), fx.forger.validClaims({ scope: '' }))),
  expect: insufficientScope(routeScopes[route]),
}));

export const productsAttacks: AttackCase[] = [
  ...scopeMatrixAttacks,
  ...emptyScopeAttacks,

  // --- Product ids: server-made UUIDs, so anything else names no product (and never reaches DynamoDB).
  { attack: 'an encoded path traversal as the product id (..%2F..%2Fclients)', request: readAs('/products/..%2F..%2Fclients'), expect: notFound },
  { attack: 'an encoded ".." as the product id', request: readAs('/products/%2e%2e'), expect: notFound },
  { attack: 'a raw path traversal out of /products', request: readAs('/products/../oauth2/token'), expect: MISSING_AUTH_TOKEN },
  { attack: 'a 2 KB product id', request: readAs(`/products/${'a'.repeat(2048)}`), expect: notFound },
  { attack: 'a non-ASCII product id', request: readAs('/products/%E2%9C%93%F0%9F%92%A3'), expect: notFound },
  { attack: 'a NUL product id', request: readAs('/products/%00'), expect: notFound },
  { attack: 'a real id followed by %00', request: readAs(`/products/${SEEDED}%00`), expect: notFound },
  { attack: 'a real id followed by an encoded newline', request: readAs(`/products/${SEEDED}%0A`), expect: notFound },
  { attack: 'a SQL-injection product id', request: readAs(`/products/${encodeURIComponent("' OR '1'='1")}`), expect: notFound },
  { attack: 'a DynamoDB attribute-value product id', request: readAs(`/products/${encodeURIComponent('{"S":"x"}')}`), expect: notFound },
  { attack: 'an invalid percent-escape as the product id', request: readAs('/products/%zz'), expect: notFound },
  { attack: 'DELETE with a path-traversal product id', request: deleteAs('/products/..%2F..%2Fclients'), expect: notFound },
  { attack: 'DELETE with a 2 KB product id', request: deleteAs(`/products/${'f'.repeat(2048)}`), expect: notFound },

  // --- Paging parameters (the cursor is client input: decoded and validated before DynamoDB sees it).
  ...['0', '101', '-1', '1e2', '0x10', 'ten', ''].map((limit): AttackCase => ({ attack: `limit=${JSON.stringify(limit)}`, request: readAs(`/products?limit=${encodeURIComponent(limit)}`), expect: badRequest })),
  { attack: 'a cursor that is not base64url', request: readAs('/products?next=%7B%22id%22%3A1%7D'), expect: badRequest },
  { attack: 'a cursor that is not JSON', request: readAs(`/products?next=${cursor('not json')}`), expect: badRequest },
  { attack: 'a cursor naming a non-UUID key', request: readAs(`/products?next=${cursor('{"id":"../clients"}')}`), expect: badRequest },
  { attack: 'a cursor with an extra key attribute', request: readAs(`/products?next=${cursor(`{"id":"${SEEDED}","clientId":"demo-client"}`)}`), expect: badRequest },
  { attack: 'a cursor carrying a DynamoDB attribute value', request: readAs(`/products?next=${cursor('{"id":{"S":"x"}}')}`), expect: badRequest },
  { attack: 'a cursor with __proto__', request: readAs(`/products?next=${cursor(`{"__proto__":{"id":"${SEEDED}"}}`)}`), expect: badRequest },
  { attack: 'a 10 KB cursor', request: readAs(`/products?next=${'A'.repeat(10_240)}`), expect: badRequest },

  // --- Bodies of POST /products.
  { attack: 'a body that is not JSON', request: postAs('{name: "kettle", price: 1}'), expect: badRequest },
  { attack: 'an empty body', request: postAs(''), expect: badRequest },
  { attack: 'a JSON array body', request: postAs('[{"name":"kettle","price":1}]'), expect: badRequest },
  { attack: 'a JSON null body', request: postAs('null'), expect: badRequest },
  { attack: 'a JSON string body', request: postAs('"kettle"'), expect: badRequest },
  { attack: 'a client-chosen id', request: postAs(`{"id":"${SEEDED}","name":"overwrite","price":1}`), expect: badRequest },
  { attack: 'an extra field', request: postAs('{"name":"kettle","price":1,"owner":"admin"}'), expect: badRequest },
  { attack: 'a __proto__ field', request: postAs('{"name":"kettle","price":1,"__proto__":{"admin":true}}'), expect: badRequest },
  { attack: 'a negative price', request: postAs('{"name":"kettle","price":-1}'), expect: badRequest },
  { attack: 'a NaN price', request: postAs('{"name":"kettle","price":NaN}'), expect: badRequest },
  { attack: 'an infinite price (1e999)', request: postAs('{"name":"kettle","price":1e999}'), expect: badRequest },
  { attack: 'a huge price (1e308)', request: postAs('{"name":"kettle","price":1e308}'), expect: badRequest },
  { attack: 'a price with fractions of a cent', request: postAs('{"name":"kettle","price":0.001}'), expect: badRequest },
  { attack: 'a price as a string', request: postAs('{"name":"kettle","price":"10"}'), expect: badRequest },
  { attack: 'a 201-character name', request: postAs(JSON.stringify({ name: 'n'.repeat(201), price: 1 })), expect: badRequest },
  { attack: 'a name of only spaces', request: postAs('{"name":"   ","price":1}'), expect: badRequest },
  { attack: 'a name that is an object', request: postAs('{"name":{"$gt":""},"price":1}'), expect: badRequest },
  { attack: 'a 2001-character description', request: postAs(JSON.stringify({ name: 'kettle', price: 1, description: 'd'.repeat(2001) })), expect: badRequest },
  { attack: 'a 1 MB body', request: postAs(JSON.stringify({ name: 'kettle', price: 1, description: 'd'.repeat(1024 * 1024) })), expect: badRequest },
  { attack: 'JSON nested 100 000 levels deep', request: postAs(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), expect: badRequest },
  { attack: 'a product sent as text/plain', request: postAs(VALID_PRODUCT, 'text/plain'), expect: unsupportedMediaType },
  { attack: 'a product sent as a form', request: postAs('name=kettle&price=1', 'application/x-www-form-urlencoded'), expect: unsupportedMediaType },
  { attack: 'a product sent without Content-Type', request: postAs(VALID_PRODUCT, null), expect: unsupportedMediaType },
  { attack: 'a look-alike media type (application/jsonx)', request: postAs(VALID_PRODUCT, 'application/jsonx'), expect: unsupportedMediaType },

  // --- Methods the API does not declare: API Gateway answers before the authorizer runs.
  { attack: 'PUT on /products', request: (fx) => apiRequest({ method: 'PUT', path: '/products', token: fx.tokens[`${READ} ${WRITE} ${DELETE}`], body: VALID_PRODUCT }), expect: MISSING_AUTH_TOKEN },
  { attack: 'PATCH on /products/{id}', request: (fx) => apiRequest({ method: 'PATCH', path: `/products/${SEEDED}`, token: fx.tokens[`${READ} ${WRITE} ${DELETE}`], body: '{"price":0}' }), expect: MISSING_AUTH_TOKEN },
  { attack: 'POST on /products/{id} to overwrite a product', request: (fx) => apiRequest({ method: 'POST', path: `/products/${SEEDED}`, token: fx.tokens[`${READ} ${WRITE} ${DELETE}`], body: VALID_PRODUCT }), expect: MISSING_AUTH_TOKEN },
];

const rememberCreated = (route: Route) => (response: RawResponse, fx: AttackFixtures) => {
  if (route !== 'POST /products') return;
  const id = (response.json as { id?: unknown }).id;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  fx.createdProducts.add(id as string);
  expect(response.headers.location).toMatch(new RegExp(`/products/${String(id)}$`));
};

/** The other half of the matrix: every combination that holds the route's scope gets through. */
export const productsControls: Control[] = ROUTES.flatMap((route) =>
  SCOPE_COMBINATIONS.filter((combination) => holds(combination, routeScopes[route])).map(
    (combination): Control => ({
      name: `${route} with a token holding "${combination}"`,
      request: (fx) => routeRequests[route](fx, fx.tokens[combination]),
      status: successStatus[route],
      verify: rememberCreated(route),
    }),
  ),
);
