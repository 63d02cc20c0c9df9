import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRules } from '#shared/access/access-rules.js';
import { SEED_PRODUCTS } from '../../functions/products/seed.js';
import { issuedClaims, signWithKmsKey, stackKms } from '../support/kms-tokens.js';
import { waitFor } from '../support/project-process.js';
import { challengeOf } from '../support/oauth-responses.js';
import { accessTokenFor, createTestClient, testStack } from '../support/stack-clients.js';

/**
 * The resource server over real HTTP: the authorizer's decision and the scope it passes on (as a string in
 * the authorizer context) decide each route's answer, and API Gateway's per-token decision cache neither
 * carries one token's answer over to another token nor one route's answer over to another route.
 */
const PRODUCT = SEED_PRODUCTS[0]!;
const kms = stackKms(testStack());
let readOnly: string;
let readWrite: string;
let writeOnly: string;
let everything: string;

beforeAll(async () => {
  const client = await createTestClient({ scopes: ['products:read', 'products:write', 'products:delete'] });
  [readOnly, readWrite, writeOnly, everything] = await Promise.all([
    accessTokenFor(client, { scope: 'products:read' }),
    accessTokenFor(client, { scope: 'products:read products:write' }),
    accessTokenFor(client, { scope: 'products:write' }),
    accessTokenFor(client, { scope: 'products:read products:write products:delete' }),
  ]);
});

afterAll(() => kms.destroy());

function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${testStack().apiUrl}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
}

/** Every product's name, page by page. */
async function allProductNames(token: string): Promise<string[]> {
  const names: string[] = [];
  let next: string | undefined;
  do {
    const response = await call('GET', `/products?limit=100${next === undefined ? '' : `&next=${next}`}`, token);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: { name: string }[]; next?: string };
    names.push(...page.items.map(({ name }) => name));
    next = page.next;
  } while (next !== undefined);
  return names;
}

const newProduct = () => ({ name: `Tamper-proof scale ${crypto.randomUUID()}`, price: 59.5 });

/**
 * RFC 6750 §3.1, as the gateway answers it (ACCESS_DENIED, template.yaml): the authorizer's policy, built from
 * the access rules, refuses the route before the products function runs. The scope the route needs is in
 * the rules (shared/access/access-rules.json); the gateway's answer cannot name it per route.
 */
async function expectInsufficientScope(response: Response, scope: string): Promise<void> {
  expect(response.status).toBe(403);
  expect(challengeOf(response)).toMatch(/^Bearer error="insufficient_scope"/);
  expect(response.headers.get('www-authenticate')).not.toBeNull();
  expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
  expect(Object.values(accessRules)).toContain(scope);
}

/** The gateway's UNAUTHORIZED response (template.yaml GatewayResponses). */
async function expectGatewayUnauthorized(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
}

describe('scopes decide each route', () => {
  it('lets a read token list and read products', async () => {
    const list = await call('GET', '/products', readOnly);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { id: string }[] }).items.map(({ id }) => id)).toContain(PRODUCT.id);
    const one = await call('GET', `/products/${PRODUCT.id}`, readOnly);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(PRODUCT);
  });

  it('answers POST with a read-only token with 403 insufficient_scope naming products:write, and stores nothing', async () => {
    const product = newProduct();
    await expectInsufficientScope(await call('POST', '/products', readOnly, product), 'products:write');
    expect(await allProductNames(readOnly)).not.toContain(product.name);
  });

  it('lets a write token create a product, which a read token then finds', async () => {
    const created = await call('POST', '/products', readWrite, newProduct());
    expect(created.status).toBe(201);
    const product = (await created.json()) as { id: string };
    // RFC 9110 §15.3.2: Location names the new product, under the stage path the request came through.
    const location = created.headers.get('location') ?? '';
    expect(location).toBe(`/v1/products/${product.id}`);
    const followed = await call('GET', location, readOnly);
    expect(followed.status).toBe(200);
    expect(await followed.json()).toEqual(product);
  });

  it('refuses reading to a token that may only write: the scope string, not a token\u2019s validity, decides', async () => {
    await expectInsufficientScope(await call('GET', '/products', writeOnly), 'products:read');
    await expectInsufficientScope(await call('GET', `/products/${PRODUCT.id}`, writeOnly), 'products:read');
    expect((await call('POST', '/products', writeOnly, newProduct())).status).toBe(201);
  });

  it('deletes only with products:delete', async () => {
    const { id } = (await (await call('POST', '/products', readWrite, newProduct())).json()) as { id: string };
    await expectInsufficientScope(await call('DELETE', `/products/${id}`, readWrite), 'products:delete');
    expect((await call('DELETE', `/products/${id}`, everything)).status).toBe(204);
    expect((await call('GET', `/products/${id}`, everything)).status).toBe(404);
  });
});

describe('the authorizer decision cache', () => {
  it('does not carry a valid token\u2019s decision over to a different, invalid token', async () => {
    expect((await call('GET', '/products', readOnly)).status).toBe(200);
    const [header, payload, signature] = readOnly.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    await expectGatewayUnauthorized(await call('GET', '/products', `${header}.${payload}.${flipped}`));
    expect((await call('GET', '/products', readOnly)).status).toBe(200);
  });

  it('does not carry an invalid token\u2019s refusal over to a valid one', async () => {
    await expectGatewayUnauthorized(await call('GET', '/products', `${readWrite}x`));
    expect((await call('GET', '/products', readWrite)).status).toBe(200);
  });

  it('gives one token the right answer on every route, in any order', async () => {
    expect((await call('GET', '/products', readWrite)).status).toBe(200);
    expect((await call('GET', `/products/${PRODUCT.id}`, readWrite)).status).toBe(200);
    const created = await call('POST', '/products', readWrite, newProduct());
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await call('GET', `/products/${id}`, readWrite)).status).toBe(200);
    await expectInsufficientScope(await call('DELETE', `/products/${id}`, readWrite), 'products:delete');
    expect((await call('GET', '/products', readWrite)).status).toBe(200);
  });
});

describe('the authorizer context reaching the products function', () => {
  it('carries exp as a string the function re-checks once a cached decision outlives the token', async () => {
    // Warm the authorizer so the first call below is decided well inside the token's last seconds.
    expect((await call('GET', '/products', readOnly)).status).toBe(200);
    const { kid } = decodeProtectedHeader(readOnly);
    // Expired 22 s ago: for 8 s more inside the 30 s clock-skew tolerance of the authorizer and the function.
    const claims = issuedClaims(testStack(), 'expiring-client', 'products:read');
    const now = Math.floor(Date.now() / 1000);
    const token = await signWithKmsKey(kms, testStack().signingKeyId, { alg: 'RS256', typ: 'at+jwt', kid: kid! }, { ...claims, iat: now - 82, exp: now - 22 });

    expect((await call('GET', '/products', token)).status).toBe(200);
    // API Gateway keeps the Allow for ReauthorizeEvery (300 s); only the function, reading exp from the
    // context, can notice that the tolerance has run out.
    const refused = await waitFor(
      'the function to refuse the expired token',
      async () => {
        const response = await call('GET', '/products', token);
        return response.status === 200 ? undefined : response;
      },
      20_000,
      250,
    );
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'invalid_token', error_description: 'The access token has expired' });
    expect(challengeOf(refused)).toBe('Bearer error="invalid_token"');
  });
});
