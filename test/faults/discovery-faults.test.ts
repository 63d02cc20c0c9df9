import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOtherSigningKey, stackKms } from '../support/kms-tokens.js';
import { testStack } from '../support/stack-clients.js';
import { captureOutput } from '../token/support/log-capture.js';
import { awsError, startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { coldStart, INTERNALS, stubFunctionEnv } from './support/handler-env.js';

/**
 * The deployed discovery handler publishing the JWKS (RFC 7517) while KMS GetPublicKey fails on its cold
 * start: 503 temporarily_unavailable with Retry-After, never an empty or partial key set (relying parties
 * would cache it and refuse every token), and the full set on the next request once KMS answers.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const GET_PUBLIC_KEY = 'TrentService.GetPublicKey';
const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const jwksRequest = { httpMethod: 'GET', resource: '/.well-known/jwks.json', path: '/.well-known/jwks.json', headers: {}, requestContext: {} } as unknown as APIGatewayProxyEvent;

let kms: FaultProxy;
let handler: Handler;
let output: ReturnType<typeof captureOutput>;

beforeAll(async () => {
  const stack = testStack();
  kms = await startFaultProxy(stack.kmsEndpoint);
  stubFunctionEnv(stack, {
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    SCOPES_SUPPORTED: 'products:read products:write products:delete',
    VERIFY_KEY_IDS: stack.verifyKeyIds.join(','),
    ISSUER: stack.issuer,
    POWERTOOLS_SERVICE_NAME: 'discovery',
  });
  output = captureOutput();
});

afterAll(async () => {
  output.stop();
  vi.unstubAllEnvs();
  await kms.close();
});

describe('JWKS while KMS fails on a cold start', () => {
  it('answers 503 rather than a partial key set, then publishes every key once KMS answers', async () => {
    kms.inject(GET_PUBLIC_KEY, awsError('ThrottlingException', 'Rate exceeded'));
    handler = await coldStart<Handler>(() => import('../../functions/discovery/handler.js'));
    const refused = await handler(jwksRequest, context);
    expect(refused.statusCode).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'temporarily_unavailable' });
    expect(refused.headers).toMatchObject({ 'Retry-After': '1' });
    expect(refused.body).not.toMatch(INTERNALS);

    kms.clear();
    const published = await handler(jwksRequest, context);
    expect(published.statusCode).toBe(200);
    const { keys } = JSON.parse(published.body) as { keys: { kid: string }[] };
    expect(keys).toHaveLength(testStack().verifyKeyIds.length);
    expect(output.text()).toContain('ThrottlingException');
  });
});

describe('JWKS while one of two verification keys cannot be read', () => {
  it('answers 503 temporarily_unavailable, not the keys it could read, then publishes both once the other is back', async () => {
    // A real second key of the stack's KMS, disabled: GetPublicKey on it fails with DisabledException
    // while the stack's own key answers.
    const keyAdmin = stackKms(testStack());
    const unreadable = await createOtherSigningKey(keyAdmin);
    await keyAdmin.send(new DisableKeyCommand({ KeyId: unreadable }));
    const keyIds = [...testStack().verifyKeyIds, unreadable];
    vi.stubEnv('VERIFY_KEY_IDS', keyIds.join(','));
    try {
      handler = await coldStart<Handler>(() => import('../../functions/discovery/handler.js'));
      const refused = await handler(jwksRequest, context);
      expect(refused.statusCode).toBe(503);
      expect(JSON.parse(refused.body)).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The key set is temporarily unavailable; retry later',
      });
      expect(refused.headers).toMatchObject({ 'Retry-After': '1' });
      expect(refused.body).not.toMatch(INTERNALS);
      expect(output.text()).toContain('DisabledException');

      await keyAdmin.send(new EnableKeyCommand({ KeyId: unreadable }));
      const published = await handler(jwksRequest, context);
      expect(published.statusCode).toBe(200);
      expect((JSON.parse(published.body) as { keys: unknown[] }).keys).toHaveLength(keyIds.length);
    } finally {
      vi.stubEnv('VERIFY_KEY_IDS', testStack().verifyKeyIds.join(','));
      keyAdmin.destroy();
    }
  });
});
