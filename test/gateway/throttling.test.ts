import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../local/gateway/server.js';
import { limitsFor, MethodThrottles, TokenBucket } from '../../local/gateway/throttling.js';
import { loadTemplate, type MethodSettingDescription } from '../../local/template/index.js';
import { BASE_ENV } from './support.js';

/** A clock the test moves by hand, so no assertion depends on how fast the machine is. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

const setting = (resourcePath: string, httpMethod: string, settings: Record<string, unknown>): MethodSettingDescription => ({
  resourcePath,
  httpMethod,
  settings,
});

describe('token bucket (API Gateway throttling: burst = bucket size, rate = tokens per second)', () => {
  it('admits a full burst at once, then one request per 1/rate seconds', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, clock.now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    clock.advance(499);
    expect(bucket.take()).toBe(false);
    clock.advance(1);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than the burst, however long it stays idle', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, clock.now);
    clock.advance(3_600_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });

  it('admits nothing with a burst of 0', () => {
    const bucket = new TokenBucket({ rateLimit: 0, burstLimit: 0 }, manualClock().now);
    expect(bucket.take()).toBe(false);
  });
});

describe('limits from MethodSettings', () => {
  const settings = [
    setting('/*', '*', { ThrottlingRateLimit: '50', ThrottlingBurstLimit: '20' }),
    setting('/~1oauth2~1token', 'POST', { ThrottlingRateLimit: '100', ThrottlingBurstLimit: '200' }),
    setting('/~1items~1{id}', 'GET', { ThrottlingBurstLimit: '5' }),
  ];

  it('reads the resource path with ~1 for /, and lets a method entry override the stage-wide one', () => {
    expect(limitsFor(settings, '/oauth2/token', 'POST')).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(limitsFor(settings, '/oauth2/token', 'GET')).toEqual({ rateLimit: 50, burstLimit: 20 });
    expect(limitsFor(settings, '/items/{id}', 'GET')).toEqual({ rateLimit: 50, burstLimit: 5 });
  });

  it('takes the account-level default for a limit no entry sets, and none at all without throttling settings', () => {
    expect(limitsFor([setting('/*', '*', { ThrottlingRateLimit: '3' })], '/echo', 'GET')).toEqual({ rateLimit: 3, burstLimit: 5_000 });
    expect(limitsFor([setting('/*', '*', { MetricsEnabled: true })], '/echo', 'GET')).toBeUndefined();
    expect(limitsFor([], '/echo', 'GET')).toBeUndefined();
  });

  it('keeps one bucket per method: throttling one leaves the others alone', () => {
    const throttles = new MethodThrottles([setting('/*', '*', { ThrottlingRateLimit: '1', ThrottlingBurstLimit: '1' })], manualClock().now);
    expect(throttles.admit('/a', 'GET')).toBe(true);
    expect(throttles.admit('/a', 'GET')).toBe(false);
    expect(throttles.admit('/a', 'POST')).toBe(true);
    expect(throttles.admit('/b', 'GET')).toBe(true);
  });
});

describe('THROTTLED over HTTP, from the template', () => {
  const clock = manualClock();
  let gateway: Gateway;

  beforeAll(async () => {
    const template = await loadTemplate(fileURLToPath(new URL('./fixtures/throttled-template.yaml', import.meta.url)), {});
    gateway = await startGateway({ template, baseEnv: BASE_ENV, log: () => undefined, now: clock.now });
  });
  afterAll(async () => {
    await gateway.close();
  });

  const post = () => fetch(`${gateway.url}/limited`, { method: 'POST', body: 'x' });

  it('answers 429 {"message":"Too Many Requests"} past the burst, without invoking the function, and admits again after 1/rate s', async () => {
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/json');
    expect(await refused.json()).toEqual({ message: 'Too Many Requests' });
    expect(refused.headers.get('x-handler')).toBeNull();

    // The other method of the resource has its own (stage-wide) bucket.
    expect((await fetch(`${gateway.url}/limited`)).status).toBe(200);

    clock.advance(1_000);
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(429);
  });
});
