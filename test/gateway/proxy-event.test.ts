import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoed, rawRequest, startFixtureGateway, type FixtureGateway } from './support.js';

let fixture: FixtureGateway;
beforeAll(async () => {
  fixture = await startFixtureGateway();
});
afterAll(async () => {
  await fixture.gateway.close();
});

describe('Lambda proxy event (REST API, payload 1.0)', () => {
  it('keeps header casing, the last value in headers and every value in multiValueHeaders', async () => {
    const response = await rawRequest(fixture.gateway.url, {
      path: '/public',
      headers: [
        ['X-Repeated', 'first'],
        ['x-repeated', 'second'],
        ['User-Agent', 'fixture-agent/1.0'],
        ['X-Forwarded-For', '203.0.113.7'],
      ],
    });
    expect(response.status).toBe(200);
    const { event } = JSON.parse(response.body.toString()) as Awaited<ReturnType<typeof echoed>>;
    expect(event.headers['X-Repeated']).toBe('second');
    expect(event.multiValueHeaders['X-Repeated']).toEqual(['first', 'second']);
    expect(event.headers).not.toHaveProperty('x-repeated');
    expect(event.headers['User-Agent']).toBe('fixture-agent/1.0');
    expect(event.headers['X-Forwarded-For']).toBe('203.0.113.7, 127.0.0.1');
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
    expect(event.requestContext.identity.userAgent).toBe('fixture-agent/1.0');
  });

  it('drops the headers API Gateway does not pass to a Lambda proxy integration, keeping the others', async () => {
    const dropped: [string, string][] = [
      ['Content-MD5', 'Q2hlY2sgSW50ZWdyaXR5IQ=='],
      ['Expect', '100-continue'],
      ['Max-Forwards', '3'],
      ['Proxy-Authenticate', 'Basic realm="x"'],
      ['Server', 'client-side'],
      ['TE', 'trailers'],
      ['Trailer', 'X-Checksum'],
      ['Upgrade', 'websocket'],
      ['WWW-Authenticate', 'Bearer'],
      ['Connection', 'keep-alive'],
    ];
    const response = await rawRequest(fixture.gateway.url, {
      method: 'POST',
      path: '/public/upload',
      headers: [...dropped, ['Content-Type', 'text/plain'], ['X-Kept', 'yes'], ['Authorization', 'Bearer kept']],
      body: 'hello',
    });
    expect(response.status).toBe(200);
    const { event } = JSON.parse(response.body.toString()) as Awaited<ReturnType<typeof echoed>>;
    const names = Object.keys(event.headers).map((name) => name.toLowerCase());
    for (const [name] of [...dropped, ['Content-Length']]) expect(names).not.toContain(name!.toLowerCase());
    expect(Object.keys(event.multiValueHeaders).map((name) => name.toLowerCase())).toEqual(names);
    expect(event.headers).toMatchObject({ 'Content-Type': 'text/plain', 'X-Kept': 'yes', Authorization: 'Bearer kept' });
    expect(event.headers.Host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(event.body).toBe('hello');
  });

  it('decodes query strings, keeping every value of a repeated name', async () => {
    const { event } = await echoed(await fetch(fixture.url('/public?q=a%20b&tag=x&tag=y%2Bz&plus=1+2&empty&bad=%E0%A4%A')));
    expect(event.queryStringParameters).toEqual({ q: 'a b', tag: 'y+z', plus: '1 2', empty: '', bad: '%E0%A4%A' });
    expect(event.multiValueQueryStringParameters).toEqual({ q: ['a b'], tag: ['x', 'y+z'], plus: ['1 2'], empty: [''], bad: ['%E0%A4%A'] });
  });

  it('also answers under the stage prefix, as the execute-api domain does, with the same event', async () => {
    const root = await echoed(await fetch(fixture.url('/public?x=1')));
    const staged = await echoed(await fetch(fixture.url('/test/public?x=1')));
    expect(staged.event.resource).toBe('/public');
    expect(staged.event.path).toBe(root.event.path);
    expect(staged.event.requestContext.path).toBe('/test/public');
    expect(staged.event.queryStringParameters).toEqual({ x: '1' });
    expect((await fetch(fixture.url('/testing/public'))).status).toBe(403);
  });

  it('gives null for absent query strings, path parameters and stage variables, and no authorizer on open routes', async () => {
    const { event } = await echoed(await fetch(fixture.url('/public')));
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('decodes path parameters but leaves path as sent, and prefers literal segments over parameters', async () => {
    const auth = { headers: { Authorization: 'Bearer allow:paths' } };
    const param = await echoed(await fetch(fixture.url('/items/a%20b%2Fc'), auth));
    expect(param.event.resource).toBe('/items/{id}');
    expect(param.event.path).toBe('/items/a%20b%2Fc');
    expect(param.event.pathParameters).toEqual({ id: 'a b/c' });

    const literal = await echoed(await fetch(fixture.url('/items/special'), auth));
    expect(literal.event.resource).toBe('/items/special');
    expect(literal.event.pathParameters).toBeNull();

    const greedy = await echoed(await fetch(fixture.url('/files/docs/2024/report.pdf'), { method: 'DELETE', ...auth }));
    expect(greedy.event.resource).toBe('/files/{proxy+}');
    expect(greedy.event.httpMethod).toBe('DELETE');
    expect(greedy.event.pathParameters).toEqual({ proxy: 'docs/2024/report.pdf' });
  });

  it('fills requestContext like API Gateway does for the stage', async () => {
    const before = Date.now();
    const response = await fetch(fixture.url('/public'));
    const { event } = await echoed(response);
    const api = fixture.template.apis.Api!;
    const context = event.requestContext;
    expect(context).toMatchObject({
      accountId: '123456789012',
      apiId: api.id,
      stage: 'test',
      path: '/test/public',
      resourcePath: '/public',
      httpMethod: 'GET',
      protocol: 'HTTP/1.1',
      domainName: new URL(fixture.gateway.url).host,
    });
    expect(context.resourceId).toMatch(/^[0-9a-z]{1,6}$/);
    expect(context.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(response.headers.get('x-amzn-requestid')).toBe(context.requestId);
    expect(response.headers.get('x-amz-apigw-id')).toBe(context.extendedRequestId);
    expect(context.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context.requestTimeEpoch).toBeGreaterThanOrEqual(before - 1000);
    expect(context.requestTimeEpoch).toBeLessThanOrEqual(Date.now());
    const expected = new Date(context.requestTimeEpoch);
    expect(context.requestTime!.slice(0, 11)).toBe(
      `${String(expected.getUTCDate()).padStart(2, '0')}/${expected.toUTCString().slice(8, 11)}/${expected.getUTCFullYear()}`,
    );
  });

  it('passes text bodies as text and binary bodies as base64', async () => {
    const form = await echoed(
      await fetch(fixture.url('/public/upload'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=a%20b',
      }),
    );
    expect(form.event.body).toBe('grant_type=client_credentials&scope=a%20b');
    expect(form.event.isBase64Encoded).toBe(false);

    const json = await echoed(
      await fetch(fixture.url('/public/upload'), { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"é":1}' }),
    );
    expect(json.event.body).toBe('{"é":1}');
    expect(json.event.isBase64Encoded).toBe(false);

    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const binary = await echoed(
      await fetch(fixture.url('/public/upload'), { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: bytes }),
    );
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.event.body!, 'base64')).toEqual(bytes);
  });
});
