import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRules } from '#shared/access/access-rules.js';
import { parseScope } from '#shared/oauth/scope.js';
import type { Gateway } from '../../local/gateway/server.js';
import { countingGateway, type CountingGateway } from '../support/counting-gateway.js';
import { accessTokenFor, createTestClient } from '../support/stack-clients.js';

/**
 * Scopes enforced at the gateway, over real HTTP: the test stack's functions behind gateways of this file's
 * own (so the invocations counted here are this file's alone), one as deployed and one whose authorizer
 * cannot reach KMS. A refused request must never reach the products function.
 */
const ROUTES = Object.keys(accessRules) as (keyof typeof accessRules)[];
const SCOPES = [...new Set(Object.values(accessRules).flatMap((scope) => parseScope(scope)!))];

let api: CountingGateway;
let outage: CountingGateway;
let clientId: string;
const tokens = new Map<string, string>();

beforeAll(async () => {
  [api, outage] = await Promise.all([
    countingGateway(),
    countingGateway({ environment: { AuthorizerFunction: { AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9' } } }),
  ]);
  const client = await createTestClient({ scopes: [...SCOPES, 'reports:read'] });
  clientId = client.clientId;
  const sets = [...subsets(SCOPES).filter((set) => set.length > 0).map((set) => set.join(' ')), 'reports:read'];
  await Promise.all(sets.map(async (scope) => tokens.set(scope, await accessTokenFor(client, { scope }))));
});

afterAll(async () => {
  await Promise.all([api?.close(), outage?.close()]);
});

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => all.concat(all.map((subset) => [...subset, item])), [[]]);
}

function send(gateway: Gateway, route: string, token: string): Promise<Response> {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace('{id}', 'no-such-product');
  const body = method === 'POST' ? JSON.stringify({ name: `Scale ${crypto.randomUUID()}`, price: 1 }) : undefined;
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
}

/** RFC 6750 §3.1, answered by API Gateway's ACCESS_DENIED response (template.yaml). */
async function expectGatewayInsufficientScope(response: Response): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="The access token lacks a scope this route requires"');
  expect(response.headers.get('x-amzn-remapped-www-authenticate')).toBeNull();
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({
    error: 'insufficient_scope',
    error_description: 'The access token lacks a scope this route requires',
    client_id: clientId,
    request_id: response.headers.get('x-amzn-requestid'),
  });
}

describe('scopes enforced at the gateway', () => {
  it('answers a read-only token’s POST /products with 403 and a real insufficient_scope challenge, never invoking products', async () => {
    const before = api.invocations('ProductsFunction');
    await expectGatewayInsufficientScope(await send(api.gateway, 'POST /products', tokens.get('products:read')!));
    expect(api.invocations('ProductsFunction')).toBe(before);
  });

  it('answers 403 on every route to a token whose scopes open none', async () => {
    const before = api.invocations('ProductsFunction');
    for (const route of ROUTES) await expectGatewayInsufficientScope(await send(api.gateway, route, tokens.get('reports:read')!));
    expect(api.invocations('ProductsFunction')).toBe(before);
  });

  it("gives the rule table's answer for every route and every scope set", async () => {
    for (const [scope, token] of tokens) {
      const granted = new Set(scope.split(' '));
      for (const route of ROUTES) {
        const allowed = parseScope(accessRules[route])!.every((needed) => granted.has(needed));
        const before = api.invocations('ProductsFunction');
        const response = await send(api.gateway, route, token);
        if (allowed) {
          expect([200, 201, 204, 404], `${route} with "${scope}"`).toContain(response.status);
          expect(api.invocations('ProductsFunction'), `${route} with "${scope}" reached products`).toBe(before + 1);
        } else {
          expect(response.status, `${route} with "${scope}"`).toBe(403);
          expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
          expect(api.invocations('ProductsFunction'), `${route} with "${scope}" did not reach products`).toBe(before);
        }
      }
    }
  });

  it('reuses one cached decision across routes and is still right on each', async () => {
    const { clientId: id, clientSecret } = await createTestClient({ scopes: ['products:read', 'products:write'] });
    const token = await accessTokenFor({ clientId: id, clientSecret }, { scope: 'products:read products:write' });
    const authorizations = api.invocations('AuthorizerFunction');
    expect((await send(api.gateway, 'GET /products', token)).status).toBe(200);
    expect((await send(api.gateway, 'POST /products', token)).status).toBe(201);
    expect((await send(api.gateway, 'GET /products/{id}', token)).status).toBe(404);
    const deleted = await send(api.gateway, 'DELETE /products/{id}', token);
    expect(deleted.status).toBe(403);
    expect(await deleted.json()).toMatchObject({ error: 'insufficient_scope', client_id: id });
    expect(api.invocations('AuthorizerFunction')).toBe(authorizations + 1);
  });
});

describe('an authorizer that cannot decide', () => {
  it('answers 503 with Retry-After and temporarily_unavailable while KMS is unreachable — never 401, never 200', async () => {
    const token = tokens.get('products:read')!;
    for (const route of ['GET /products', 'GET /products/{id}']) {
      const response = await send(outage.gateway, route, token);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'Access tokens cannot be checked right now; retry later',
        request_id: response.headers.get('x-amzn-requestid'),
      });
    }
    // Not cached as a decision: each request asked the authorizer again, and nothing reached products.
    expect(outage.invocations('AuthorizerFunction')).toBe(2);
    expect(outage.invocations('ProductsFunction')).toBe(0);
  });
});
