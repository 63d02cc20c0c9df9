import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { GetPublicKeyCommand, KMSClient, DependencyTimeoutException } from '@aws-sdk/client-kms';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import { credentials, startKmsFixture, type KmsFixture } from '../kms/kms-fixture.js';

/** The deployed wiring (handler.ts) against the KMS emulator; aws-sdk-client-mock only injects the outage. */
let kms: KmsFixture;
let keyArns: string[];
let expectedKids: string[];

beforeAll(async () => {
  kms = await startKmsFixture();
  keyArns = [(await kms.createSigningKey()).Arn, (await kms.createSigningKey()).Arn];
  expectedKids = [];
  for (const arn of keyArns) {
    const { PublicKey } = await kms.kms.send(new GetPublicKeyCommand({ KeyId: arn }));
    expectedKids.push(verificationKeyFromSpki(arn, PublicKey ?? new Uint8Array()).kid);
  }
});

afterAll(async () => {
  await kms.close();
});

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;

beforeEach(async () => {
  vi.stubEnv('AWS_ENDPOINT_URL_KMS', kms.emulator.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  vi.stubEnv('SCOPES_SUPPORTED', 'products:read products:write products:delete');
  vi.stubEnv('VERIFY_KEY_IDS', keyArns.join(','));
  vi.stubEnv('ISSUER', '');
  vi.resetModules();
  ({ handler } = (await import('../../functions/discovery/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const event = (resource: string, domainName = 'abc123defg.execute-api.us-east-1.amazonaws.com') =>
  ({
    resource,
    path: resource,
    httpMethod: 'GET',
    headers: { Host: domainName },
    requestContext: { apiId: 'abc123defg', domainName, stage: 'v1' },
  }) as unknown as APIGatewayProxyEvent;

describe('discovery handler', () => {
  it('publishes the public keys KMS holds for VERIFY_KEY_IDS, under their thumbprints', async () => {
    const result = await handler(event('/.well-known/jwks.json'), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['X-Content-Type-Options']).toBe('nosniff');
    const { keys } = JSON.parse(result.body) as { keys: { kid: string }[] };
    expect(keys.map((key) => key.kid)).toEqual(expectedKids);
  });

  it('answers 503 while KMS fails, and serves the keys once it is back', async () => {
    const outage = mockClient(KMSClient);
    outage.on(GetPublicKeyCommand).rejects(new DependencyTimeoutException({ message: 'KMS timed out', $metadata: {} }));
    try {
      const failed = await handler(event('/.well-known/jwks.json'), context);
      expect(failed.statusCode).toBe(503);
      expect(failed.headers?.['Retry-After']).toBe('1');
    } finally {
      outage.restore();
    }
    const recovered = await handler(event('/.well-known/jwks.json'), context);
    expect(recovered.statusCode).toBe(200);
  });

  it('derives the issuer from the API id, the stage and AWS_REGION when ISSUER is empty, whatever domain was used', async () => {
    for (const domainName of ['abc123defg.execute-api.us-east-1.amazonaws.com', 'auth.example.com']) {
      const result = await handler(event('/.well-known/openid-configuration', domainName), context);
      expect(JSON.parse(result.body)).toMatchObject({
        issuer: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/v1',
        token_endpoint: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/v1/oauth2/token',
      });
    }
  });
});
