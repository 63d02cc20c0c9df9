import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClientStore } from '#shared/clients/client-store.js';
import { tokenEndpoint } from '../../functions/token/token-endpoint.js';
import { credentials, startKmsFixture, type KmsFixture } from '../kms/kms-fixture.js';
import { basic, form, lambdaContext, REGION, tokenEvent } from './support/proxy-events.js';
import { memoryClientStore, NOW, registeredClient } from './support/registered-clients.js';
import { rsaTestSigner } from './support/rsa-signer.js';

/**
 * One set of security headers on every answer of every function, success or error: the JSON API set of
 * shared/http/security-headers.ts. Header names are compared case-insensitively (RFC 9110 §5.1).
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Every header @middy/http-security-headers can write, so one function adding or dropping one shows. */
const SECURITY_HEADER_NAMES = [
  'content-security-policy', 'cross-origin-embedder-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy',
  'origin-agent-cluster', 'permissions-policy', 'referrer-policy', 'reporting-endpoints', 'server', 'strict-transport-security',
  'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies',
  'x-powered-by', 'x-xss-protection',
];
const EXPECTED = {
  'referrer-policy': 'no-referrer',
  // One year, this API's hosts only: preloading or covering subdomains is a decision about a whole domain.
  'strict-transport-security': 'max-age=31536000',
  'x-content-type-options': 'nosniff',
};

function securityHeaders(response: APIGatewayProxyResult): Record<string, unknown> {
  const all = Object.entries({ ...response.headers, ...response.multiValueHeaders });
  return Object.fromEntries(all.filter(([name]) => SECURITY_HEADER_NAMES.includes(name.toLowerCase())).map(([name, value]) => [name.toLowerCase(), value]));
}

let kms: KmsFixture;
let discovery: Handler;
let products: Handler;
const responses: [string, APIGatewayProxyResult][] = [];

beforeAll(async () => {
  kms = await startKmsFixture();
  const key = await kms.createSigningKey();
  vi.stubEnv('AWS_ENDPOINT_URL_KMS', kms.emulator.endpoint);
  // The KMS fixture's keys live in us-east-1.
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  vi.stubEnv('SCOPES_SUPPORTED', 'products:read');
  vi.stubEnv('VERIFY_KEY_IDS', key.Arn);
  vi.stubEnv('ISSUER', '');
  vi.resetModules();
  ({ handler: discovery } = (await import('../../functions/discovery/handler.js')) as unknown as { handler: Handler });
  vi.stubEnv('PRODUCTS_TABLE', 'products');
  vi.stubEnv('CLOCK_SKEW_SECONDS', '30');
  ({ handler: products } = (await import('../../functions/products/handler.js')) as unknown as { handler: Handler });
  // Neither answer needs the table: no verified caller (401) and no such route (404).
  const callProducts = (httpMethod: string, resource: string) =>
    products({ resource, path: resource, httpMethod, headers: {}, requestContext: { apiId: 'abc123defg', stage: 'v1' } } as unknown as APIGatewayProxyEvent, lambdaContext());

  const alice = registeredClient({ clientId: 'alice' });
  const broken: ClientStore = { find: async () => Promise.reject(new Error('boom')) };
  const token = (clients: ClientStore) =>
    tokenEndpoint({
      config: { clientsTable: 'clients', signingKeyId: 'k', maxTokenLifetimeSeconds: 3600, issuer: undefined, clientAssertionsTable: undefined, clockSkewSeconds: 30, region: REGION },
      logger: new Logger({ logLevel: 'SILENT' }),
      clock: () => NOW,
      clients,
      signer: rsaTestSigner(),
    });
  const grant = form({ grant_type: 'client_credentials' });
  const post = (clients: ClientStore, options: Parameters<typeof tokenEvent>[0]) => token(clients)(tokenEvent(options), lambdaContext());
  const get = (resource: string) =>
    discovery({ resource, path: resource, httpMethod: 'GET', headers: {}, requestContext: { apiId: 'abc123defg', stage: 'v1' } } as unknown as APIGatewayProxyEvent, lambdaContext());

  const store = memoryClientStore(alice.client);
  responses.push(
    ['token 200', await post(store, { headers: { Authorization: basic('alice', alice.secret) }, body: grant })],
    ['token 401', await post(store, { headers: { Authorization: basic('alice', 'wrong') }, body: grant })],
    ['token 400', await post(store, { body: 'grant_type=password' })],
    ['token 500', await post(broken, { headers: { Authorization: basic('alice', alice.secret) }, body: grant })],
    ['discovery metadata 200', await get('/.well-known/oauth-authorization-server')],
    ['discovery JWKS 200', await get('/.well-known/jwks.json')],
    ['discovery 404', await get('/.well-known/nothing')],
    ['products 401', await callProducts('GET', '/products')],
    ['products 404', await callProducts('GET', '/nothing')],
  );
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await kms?.close();
});

describe('security headers (one set for every function)', () => {
  it('answered every kind of request it was meant to', () => {
    expect(responses.map(([name, response]) => [name, response.statusCode])).toEqual([
      ['token 200', 200], ['token 401', 401], ['token 400', 400], ['token 500', 500],
      ['discovery metadata 200', 200], ['discovery JWKS 200', 200], ['discovery 404', 404],
      ['products 401', 401], ['products 404', 404],
    ]);
  });

  it('sends exactly the JSON API set on every answer, whatever the function and the status', () => {
    for (const [name, response] of responses) expect(securityHeaders(response), name).toStrictEqual(EXPECTED);
  });

  it('sends no header with an empty or missing value', () => {
    for (const [name, response] of responses) {
      for (const [header, value] of Object.entries(response.headers ?? {})) {
        expect(typeof value === 'string' && value.trim() !== '', `${name}: ${header}`).toBe(true);
      }
    }
  });
});
