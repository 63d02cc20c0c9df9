import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOtherSigningKey, stackKms } from '../support/kms-tokens.js';
import { accessTokenFor, createTestClient, testStack } from '../support/stack-clients.js';
import type { TestStack } from '../support/test-stack.js';
import { captureOutput } from '../token/support/log-capture.js';
import { awsError, HANG, startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy.js';
import { coldStart, HANG_BOUNDS, stubFunctionEnv, timed } from './support/handler-env.js';

/**
 * The deployed TOKEN authorizer (functions/authorizer/handler.ts) with its real KMS client, fetching the
 * test stack's verification keys through a fault proxy. Whatever KMS does on a cold start, the
 * authorizer fails closed — an Error other than 'Unauthorized', which API Gateway answers with its
 * AUTHORIZER_CONFIGURATION_ERROR response (503 + Retry-After in template.yaml), never a 401 that would send
 * every client back to the token endpoint — within the Lambda timeout, and allows again on the next request
 * once KMS answers. A warm authorizer needs no KMS at all.
 */
type Authorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

const GET_PUBLIC_KEY = 'TrentService.GetPublicKey';

let stack: TestStack;
let kms: FaultProxy;
let token: string;
let authorize: Authorizer;
let output: ReturnType<typeof captureOutput>;

const load = () => import('../../functions/authorizer/handler.js');
const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({
  type: 'TOKEN',
  authorizationToken,
  methodArn: 'arn:aws:execute-api:us-east-1:000000000000:apiid12345/v1/GET/products',
});

type Outcome = 'allowed' | 'unauthorized' | 'cannot-decide';

async function decide(authorizationToken = `Bearer ${token}`): Promise<{ allowed: boolean; outcome: Outcome; ms: number }> {
  const { result, ms } = await timed(() =>
    authorize(event(authorizationToken)).then(
      (policy): Outcome => {
        expect(policy.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
        return 'allowed';
      },
      (error: unknown): Outcome => {
        // Fails closed in one of the two ways the gateway understands: exactly 'Unauthorized' (401: the token
        // is bad) or another plain Error (AUTHORIZER_CONFIGURATION_ERROR, which the template answers with 503).
        expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
        expect(['Unauthorized', 'Service Unavailable']).toContain((error as Error).message);
        return (error as Error).message === 'Unauthorized' ? 'unauthorized' : 'cannot-decide';
      },
    ),
  );
  return { allowed: result === 'allowed', outcome: result, ms };
}

beforeAll(async () => {
  stack = testStack();
  token = await accessTokenFor(await createTestClient({ name: 'authorizer faults client' }));
  kms = await startFaultProxy(stack.kmsEndpoint);
  stubFunctionEnv(stack, {
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
    REVOCATIONS_TABLE: stack.revocationsTable,
    AUDIENCE: stack.audience,
    CLOCK_SKEW_SECONDS: '30',
    VERIFY_KEY_IDS: stack.verifyKeyIds.join(','),
    ISSUER: stack.issuer,
    POWERTOOLS_SERVICE_NAME: 'authorizer',
  });
  output = captureOutput();
});

afterAll(async () => {
  output.stop();
  vi.unstubAllEnvs();
  await kms.close();
});

beforeEach(() => {
  kms.clear();
  kms.resetAttempts();
});

describe('authorizer cold start while KMS GetPublicKey fails', () => {
  it.each<[string, Fault]>([
    ['throttled (ThrottlingException)', awsError('ThrottlingException', 'Rate exceeded')],
    ['failing inside KMS (KMSInternalException, 500)', awsError('KMSInternalException', 'internal error', 500)],
    ['refusing a disabled key (DisabledException)', awsError('DisabledException', 'key is disabled')],
    ['denying access (AccessDeniedException)', awsError('AccessDeniedException', 'not authorized to perform kms:GetPublicKey')],
  ])('cannot decide (503, not 401) while KMS is %s, then allows on the next request once it answers', async (_, fault) => {
    kms.inject(GET_PUBLIC_KEY, fault);
    authorize = await coldStart<Authorizer>(load);
    expect((await decide()).outcome).toBe('cannot-decide');
    expect(kms.attempts(GET_PUBLIC_KEY)).toBeLessThanOrEqual(2 * stack.verifyKeyIds.length);
    kms.clear();
    expect((await decide()).allowed).toBe(true);
  });

  it('cannot decide within the Lambda timeout while GetPublicKey hangs, then recovers', async () => {
    kms.inject(GET_PUBLIC_KEY, HANG);
    authorize = await coldStart<Authorizer>(load);
    const { outcome, ms } = await decide();
    expect(outcome).toBe('cannot-decide');
    expect(ms).toBeGreaterThan(HANG_BOUNDS.atLeastMs);
    expect(ms).toBeLessThan(HANG_BOUNDS.underMs);
    kms.clear();
    expect((await decide()).allowed).toBe(true);
  }, 20_000);

  it('cannot decide, at once, while KMS refuses connections, and recovers when it is back', async () => {
    await kms.stop();
    try {
      authorize = await coldStart<Authorizer>(load);
      const { outcome, ms } = await decide();
      expect(outcome).toBe('cannot-decide');
      expect(ms).toBeLessThan(HANG_BOUNDS.atLeastMs);
    } finally {
      await kms.start();
    }
    expect((await decide()).allowed).toBe(true);
  });
});

describe('authorizer cold start while one of two verification keys cannot be read', () => {
  it('fails closed even for a token of the key it could read (no partial key set), then allows once both load', async () => {
    // A real second key of the stack's KMS, disabled: GetPublicKey on it fails with DisabledException.
    const keyAdmin = stackKms(stack);
    const unreadable = await createOtherSigningKey(keyAdmin);
    await keyAdmin.send(new DisableKeyCommand({ KeyId: unreadable }));
    vi.stubEnv('VERIFY_KEY_IDS', [...stack.verifyKeyIds, unreadable].join(','));
    try {
      authorize = await coldStart<Authorizer>(load);
      expect((await decide()).allowed).toBe(false);
      await keyAdmin.send(new EnableKeyCommand({ KeyId: unreadable }));
      expect((await decide()).allowed).toBe(true);
    } finally {
      vi.stubEnv('VERIFY_KEY_IDS', stack.verifyKeyIds.join(','));
      keyAdmin.destroy();
    }
  });
});

describe('warm authorizer while KMS is down', () => {
  it('keeps allowing good tokens and refusing bad ones without calling KMS', async () => {
    authorize = await coldStart<Authorizer>(load);
    expect((await decide()).allowed).toBe(true);
    kms.resetAttempts();
    kms.inject(GET_PUBLIC_KEY, awsError('KMSInternalException', 'internal error', 500));
    expect((await decide()).allowed).toBe(true);
    const [header, payload] = token.split('.');
    expect((await decide(`Bearer ${header}.${payload}.${'A'.repeat(342)}`)).outcome).toBe('unauthorized');
    expect(kms.attempts(GET_PUBLIC_KEY)).toBe(0);
  });
});

describe('what the faults left in the log', () => {
  it('says why it denied (the SDK error), and never the token', () => {
    const log = output.text();
    for (const reason of ['ThrottlingException', 'DisabledException', 'AccessDeniedException', 'TimeoutError']) expect(log).toContain(reason);
    expect(log).toContain('Cannot decide on the access token; refusing with 503');
    for (const segment of token.split('.').slice(1)) expect(log).not.toContain(segment);
  });
});
