import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoed, FIXTURE_INPUTS, startFixtureGateway, type FixtureGateway } from './support.js';

let fixture: FixtureGateway;
beforeAll(async () => {
  fixture = await startFixtureGateway();
});
afterAll(async () => {
  await fixture.gateway.close();
});

const call = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(fixture.url(path), { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } });

/**
 * How often the authorizer function has run so far: the runtime writes a REPORT line per invocation
 * before the invocation settles, so the count is exact when the response arrives.
 */
const authorizerRuns = (f: FixtureGateway = fixture) =>
  f.logs.filter((l) => l.source === 'AuthorizerFunction' && l.line.startsWith('REPORT RequestId:')).length;

const echoRuns = (f: FixtureGateway = fixture) => f.logs.filter((l) => l.source === 'EchoFunction' && l.line.startsWith('REPORT RequestId:')).length;

describe('TOKEN authorizer', () => {
  it('answers 401 without invoking the authorizer when the identity header is missing', async () => {
    const runs = authorizerRuns();
    const response = await fetch(fixture.url('/echo'), { headers: { Origin: 'https://app.example' } });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { message: string; requestId: string };
    // The template's UNAUTHORIZED response: its body template, literal header and request-header mapping.
    expect(body).toEqual({ message: 'Unauthorized', requestId: response.headers.get('x-amzn-requestid') });
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.headers.get('x-echo-origin')).toBe('https://app.example');
    expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    // A customised type does not take the DEFAULT_4XX customisation.
    expect(response.headers.get('x-family')).toBeNull();
    expect(authorizerRuns()).toBe(runs);
  });

  it('answers 401 when the authorizer throws exactly "Unauthorized"', async () => {
    const runs = authorizerRuns();
    const response = await call('/echo', 'throw-unauthorized');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toBe('Unauthorized');
    expect(authorizerRuns()).toBe(runs + 1);
  });

  it.each(['throw-other', 'bad-context', 'null-context', 'array-context', 'no-principal', 'no-policy'])(
    'answers 500 AuthorizerConfigurationException when the authorizer fails or answers malformed (%s)',
    async (decision) => {
      const response = await call('/echo', decision);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('{"message": null}');
      expect(response.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
      expect(response.headers.get('x-family')).toBe('5xx');
    },
  );

  it('answers 403 to an explicit Deny and to a policy that allows something else, rendering the policy context', async () => {
    const runs = echoRuns();
    const denied = await call('/echo?q=one&q=two', 'deny', { headers: { 'X-Value': 'a' } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      message: 'User is not authorized to access this resource with an explicit deny',
      client: 'client-123',
      principal: 'client-123',
    });
    expect(denied.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope"');
    expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    // Header values mapped from the request: the last query value; every value of a header.
    expect(denied.headers.get('x-echo-query')).toBe('two');
    expect(denied.headers.get('x-echo-values')).toBe('a');

    const unmatched = await call('/echo', 'no-match');
    expect(unmatched.status).toBe(403);
    expect(await unmatched.json()).toEqual({ message: 'User is not authorized to access this resource', client: '', principal: 'client-123' });
    expect(unmatched.headers.get('x-echo-query')).toBeNull();
    // The integration never ran.
    expect(echoRuns()).toBe(runs);
  });

  it('lets an Allow through and hands the context to the integration as strings', async () => {
    const { event } = await echoed(await call('/echo', 'allow:context'));
    const authorizer = event.requestContext.authorizer!;
    expect(authorizer).toMatchObject({ principalId: 'client-123', scope: 'read write', answer: '42', admin: 'false' });
    expect(authorizer.invocations).toMatch(/^\d+$/);
    expect(typeof authorizer.integrationLatency).toBe('number');
    // The authorizer got the TOKEN event for this method.
    expect(authorizer.methodArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${fixture.template.apis.Api!.id}/test/GET/echo`);
  });

  it('matches Action "*", a single Statement object and Resource wildcards; explicit Deny wins', async () => {
    expect((await call('/echo', 'allow-get')).status).toBe(200);
    expect((await call('/echo', 'allow-get', { method: 'POST', body: 'x' })).status).toBe(403);
    // Allow on every route, Deny on GET /item?/* (the ? matches the s of items).
    expect((await call('/echo', 'allow-but-deny')).status).toBe(200);
    const denied = await call('/items/42', 'allow-but-deny');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toMatch(/explicit deny/);
  });

  it('caches a decision per token for ReauthorizeEvery seconds', async () => {
    const first = await echoed(await call('/echo', 'allow:cache-1'));
    const runsAfterFirst = authorizerRuns();
    const second = await echoed(await call('/echo', 'allow:cache-1'));
    expect(authorizerRuns()).toBe(runsAfterFirst);
    expect(second.event.requestContext.authorizer!.invocations).toBe(first.event.requestContext.authorizer!.invocations);
    expect(second.event.requestContext.authorizer!.integrationLatency).toBe(0);

    const other = await echoed(await call('/echo', 'allow:cache-2'));
    expect(authorizerRuns()).toBe(runsAfterFirst + 1);
    expect(Number(other.event.requestContext.authorizer!.invocations)).toBeGreaterThan(Number(first.event.requestContext.authorizer!.invocations));
  });

  it('judges a cached policy again for each method, so a policy naming one route denies the others', async () => {
    expect((await call('/echo', 'allow-one-route:r1')).status).toBe(200);
    const runs = authorizerRuns();
    const elsewhere = await call('/items/7', 'allow-one-route:r1');
    expect(elsewhere.status).toBe(403);
    expect(authorizerRuns()).toBe(runs);
    // A fresh token is judged for the route it is first used on.
    expect((await call('/items/7', 'allow-one-route:r2')).status).toBe(200);
  });

  it('never invokes the authorizer for routes with Authorizer NONE', async () => {
    const runs = authorizerRuns();
    expect((await call('/public', 'deny')).status).toBe(200);
    expect(authorizerRuns()).toBe(runs);
  });

  it('never logs the token', () => {
    expect(fixture.logs.some((l) => /allow:|cache-1|throw-other/.test(l.line))).toBe(false);
  });
});

describe('TOKEN authorizer cache lifetime', () => {
  it('re-invokes on every request when ReauthorizeEvery is 0, and after expiry otherwise', async () => {
    const uncached = await startFixtureGateway({ ...FIXTURE_INPUTS, parameterOverrides: { CacheTtl: 0 } });
    const shortLived = await startFixtureGateway({ ...FIXTURE_INPUTS, parameterOverrides: { CacheTtl: 2 } });
    try {
      const get = (f: FixtureGateway, token = 'allow:ttl') => fetch(f.url('/echo'), { headers: { Authorization: `Bearer ${token}` } });
      expect((await get(uncached)).status).toBe(200);
      expect((await get(uncached)).status).toBe(200);
      expect(authorizerRuns(uncached)).toBe(2);

      // Warm both functions first, so cold starts do not eat into the 2 s lifetime measured below.
      expect((await get(shortLived, 'allow:warm-up')).status).toBe(200);
      const runs = authorizerRuns(shortLived);
      expect((await get(shortLived)).status).toBe(200);
      expect((await get(shortLived)).status).toBe(200);
      expect(authorizerRuns(shortLived)).toBe(runs + 1);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await get(shortLived)).status).toBe(200);
      expect(authorizerRuns(shortLived)).toBe(runs + 2);
    } finally {
      await Promise.all([uncached.gateway.close(), shortLived.gateway.close()]);
    }
  });
});
