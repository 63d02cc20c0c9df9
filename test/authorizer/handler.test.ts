import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { GetPublicKeyCommand, KMSClient, KMSInternalException, SignCommand } from '@aws-sdk/client-kms';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import { credentials, startKmsFixture, type KmsFixture } from '../kms/kms-fixture.js';
import { testStack } from '../support/stack-clients.js';
import { AUDIENCE, ISSUER, METHOD_ARN, STAGE_ARN, accessTokenClaims, b64url } from '../support/access-token-fixtures.js';

/**
 * The deployed wiring (handler.ts) against the local KMS emulator, so keys are fetched over the real KMS
 * protocol and the token is signed by KMS Sign. aws-sdk-client-mock is used only to inject the outage.
 */
let kms: KmsFixture;
let keyArn: string;
let token: string;

beforeAll(async () => {
  kms = await startKmsFixture();
  keyArn = (await kms.createSigningKey()).Arn;
  const { PublicKey } = await kms.kms.send(new GetPublicKeyCommand({ KeyId: keyArn }));
  const { kid } = verificationKeyFromSpki(keyArn, PublicKey ?? new Uint8Array());
  const now = Math.floor(Date.now() / 1000);
  const signingInput = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid }))}.${b64url(JSON.stringify(accessTokenClaims(now)))}`;
  const { Signature } = await kms.kms.send(
    new SignCommand({ KeyId: keyArn, Message: Buffer.from(signingInput), MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
  );
  token = `${signingInput}.${Buffer.from(Signature ?? new Uint8Array()).toString('base64url')}`;
});

afterAll(async () => {
  await kms.close();
});

let output: string[];
beforeEach(() => {
  vi.resetModules();
  output = [];
  const capture = (chunk: unknown) => {
    output.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.stubEnv('AWS_ENDPOINT_URL_KMS', kms.emulator.endpoint);
  // The revocation check reads the test stack's table (nothing is revoked for these tokens).
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', testStack().dynamodbEndpoint);
  vi.stubEnv('REVOCATIONS_TABLE', testStack().revocationsTable);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  vi.stubEnv('AUDIENCE', AUDIENCE);
  vi.stubEnv('CLOCK_SKEW_SECONDS', '30');
  vi.stubEnv('VERIFY_KEY_IDS', keyArn);
  vi.stubEnv('ISSUER', ISSUER);
  vi.stubEnv('POWERTOOLS_DEV', '');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const event = (): APIGatewayTokenAuthorizerEvent => ({ type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken: `Bearer ${token}` });

async function loadHandler() {
  return (await import('../../functions/authorizer/handler.js')).handler;
}

describe('authorizer handler', () => {
  it('allows a token KMS signed, with keys fetched from KMS by their ARN', async () => {
    const handler = await loadHandler();
    const result = await handler(event());
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(result.policyDocument.Statement[0]).toHaveProperty('Resource', expect.arrayContaining([`${STAGE_ARN}/GET/products`]));
  });

  it('cannot decide (503 at the gateway, never 401) while KMS is unreachable at cold start, then recovers on the next invocation', async () => {
    const kmsOutage = mockClient(KMSClient);
    kmsOutage.on(GetPublicKeyCommand).rejects(new KMSInternalException({ message: 'KMS is having a bad day', $metadata: {} }));
    const handler = await loadHandler();

    await expect(handler(event())).rejects.toThrow(/^Service Unavailable$/);
    await expect(handler(event())).rejects.toThrow(/^Service Unavailable$/);
    // Each invocation asked KMS again: the failure was not cached.
    expect(kmsOutage.commandCalls(GetPublicKeyCommand)).toHaveLength(2);

    kmsOutage.restore();
    const result = await handler(event());
    expect(result.principalId).toBe(accessTokenClaims().client_id);

    const logs = output.join('');
    expect(logs).toContain('KMSInternalException');
    expect(logs).not.toContain(token);
    for (const part of token.split('.')) expect(logs).not.toContain(part);
  });

  it('cannot decide on unusable configuration, naming the variable in the log but never the token', async () => {
    vi.stubEnv('VERIFY_KEY_IDS', ' , ');
    const handler = await loadHandler();
    await expect(handler(event())).rejects.toThrow(/^Service Unavailable$/);
    const logs = output.join('');
    expect(logs).toContain('VERIFY_KEY_IDS');
    expect(logs).not.toContain(token.split('.')[2]);
  });

  it('logs a rejected token by reason and kid, without the token', async () => {
    const handler = await loadHandler();
    const [header, payload, signature = ''] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, 100)}${signature[100] === 'A' ? 'B' : 'A'}${signature.slice(101)}`;
    await expect(handler({ ...event(), authorizationToken: `Bearer ${forged}` })).rejects.toThrow(/^Unauthorized$/);
    const logs = output.join('');
    expect(logs).toContain('InvalidSignature');
    expect(logs).not.toContain(payload);
    expect(logs).not.toContain(forged.split('.')[2]);
  });
});
