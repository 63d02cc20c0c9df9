import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startFixtureGateway, type FixtureGateway } from './support.js';

let fixture: FixtureGateway;
beforeAll(async () => {
  fixture = await startFixtureGateway();
});
afterAll(async () => {
  await fixture.gateway.close();
});

const behave = (mode: string, init?: RequestInit) => fetch(fixture.url(`/behave/${mode}`), init);

describe('integration responses', () => {
  it('maps statusCode, headers merged with multiValueHeaders, and body', async () => {
    const response = await rawRequest(fixture.gateway.url, { path: '/behave/headers' });
    expect(response.status).toBe(202);
    expect(response.body.toString()).toBe('headers');
    expect(response.headers['x-single']).toBe('one');
    expect(response.headers['x-multi']).toBe('a, b');
    // The multi-value list wins over the single value of the same name.
    expect(response.headers['x-both']).toBe('m1, m2');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    // REST APIs rename reserved headers from the integration and compute Content-Length themselves.
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.headers['x-amzn-remapped-www-authenticate']).toBe('Basic realm="fixture"');
    expect(response.headers['content-length']).not.toBe('999');
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-amz-apigw-id']).toMatch(/^.{15}=$/);
  });

  it('decodes base64 bodies and defaults Content-Type to application/json', async () => {
    const binary = await behave('binary');
    expect(binary.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    const plain = await behave('no-content-type');
    expect(plain.headers.get('content-type')).toBe('application/json');
  });

  it('accepts a statusCode given as a string of digits', async () => {
    const response = await behave('status-string');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('created');
  });

  it.each(['string', 'status-text', 'body-object', 'extra-key', 'no-status', 'bad-header'])(
    'answers 502 Internal server error to a malformed response (%s)',
    async (mode) => {
      const response = await behave(mode);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
      expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
      // DEFAULT_5XX from the template applies to it.
      expect(response.headers.get('x-family')).toBe('5xx');
    },
  );

  it('answers 502 when the handler throws, and the error reaches the function log only', async () => {
    const response = await behave('throw');
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('kaboom');
    expect(fixture.logs.some((l) => l.source === 'BehaveFunction' && l.stream === 'stderr' && l.line.includes('"errorMessage":"kaboom"'))).toBe(true);
  });

  it('answers 502 when the function exceeds its Timeout', async () => {
    const started = Date.now();
    const response = await behave('sleep');
    expect(response.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(fixture.logs.some((l) => l.line.includes('Task timed out after 1.00 seconds'))).toBe(true);
  });

  it('answers 403 Missing Authentication Token for unknown paths and unconfigured methods', async () => {
    for (const [path, method] of [
      ['/nowhere', 'GET'],
      ['/items', 'GET'],
      ['/public', 'POST'],
      ['/files', 'GET'],
      ['/items/special', 'DELETE'],
    ] as const) {
      const response = await fetch(fixture.url(path), { method });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(response.headers.get('x-family')).toBe('4xx');
    }
  });

  it('answers 413 Request Too Long above 10 MB', async () => {
    const response = await fetch(fixture.url('/public/upload'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Too Long' });
    expect(response.headers.get('x-family')).toBe('4xx');
    const atLimit = await fetch(fixture.url('/public/upload'), { method: 'POST', body: Buffer.alloc(1024) });
    expect(atLimit.status).toBe(200);
  });

  it('survives bad encodings, oversized headers and clients that hang up', async () => {
    const badPath = await rawRequest(fixture.gateway.url, { path: '/items/%E0%A4%A', headers: [['Authorization', 'Bearer allow:bad']] });
    expect(badPath.status).toBe(200);
    expect(JSON.parse(badPath.body.toString()).event.pathParameters).toEqual({ id: '%E0%A4%A' });

    const huge = await rawRequest(fixture.gateway.url, { path: '/public', headers: [['X-Huge', 'x'.repeat(64 * 1024)]] });
    expect(huge.status).toBe(431);

    await new Promise<void>((resolve) => {
      const { hostname, port } = new URL(fixture.gateway.url);
      const socket = connect(Number(port), hostname, () => {
        socket.write('POST /public/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const { hostname, port } = new URL(fixture.gateway.url);
      const socket = connect(Number(port), hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('data', () => socket.destroy());
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });

    const after = await fetch(fixture.url('/public'));
    expect(after.status).toBe(200);
  });

  it('logs one line per request with method, path, status and duration, without the query string', async () => {
    await fetch(fixture.url('/public?access_token=secret-in-query'), { headers: { 'X-Api-Key': 'secret-in-header' } });
    const lines = fixture.logs.filter((l) => l.source === 'gateway' && l.stream === 'stdout').map((l) => l.line);
    expect(lines).toContainEqual(expect.stringMatching(/^GET \/public 200 \d+ms$/));
    expect(fixture.logs.some((l) => l.line.includes('secret-in'))).toBe(false);
  });
});
