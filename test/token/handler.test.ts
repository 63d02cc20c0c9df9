import { createPublicKey } from 'node:crypto';
import { ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import {
  DependencyTimeoutException,
  DisabledException,
  DisableKeyCommand,
  EnableKeyCommand,
  GetPublicKeyCommand,
  KeyUnavailableException,
  KMSClient,
  KMSInternalException,
  KMSInvalidStateException,
  LimitExceededException,
  NotFoundException,
  SignCommand,
} from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import { captureOutput } from './support/log-capture.js';
import { API_ID, basic, form, lambdaContext, STAGE, tokenEvent } from './support/proxy-events.js';
import { PRODUCTS, registeredClient } from './support/registered-clients.js';
import { startLocalAws, type LocalAws } from './support/local-aws.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const alice = registeredClient({ clientId: 'alice' });
const authorization = basic('alice', alice.secret);
const request = () => tokenEvent({ headers: { Authorization: authorization }, body: form({ grant_type: 'client_credentials' }) });
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'The authorization server is temporarily unable to handle the request; retry later',
};

let aws: LocalAws;
let handler: Handler;
let output: ReturnType<typeof captureOutput>;
const issuedTokens: string[] = [];

/** A fresh module is a cold start: new SDK clients, config parsed again, nothing memoised. */
async function coldStart(): Promise<Handler> {
  vi.resetModules();
  return (await import('../../functions/token/handler.js')).handler as Handler;
}

async function call(event = request()): Promise<APIGatewayProxyResult> {
  const response = await handler(event, lambdaContext());
  const token = (JSON.parse(response.body) as { access_token?: string }).access_token;
  if (token !== undefined) issuedTokens.push(token);
  return response;
}

async function expectRecovered(): Promise<void> {
  expect((await call()).statusCode).toBe(200);
}

function expectUnavailable(response: APIGatewayProxyResult, retryAfter: string): void {
  expect(response.statusCode).toBe(503);
  expect(JSON.parse(response.body)).toStrictEqual(UNAVAILABLE);
  expect(response.headers).toMatchObject({ 'Retry-After': retryAfter, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

beforeAll(async () => {
  aws = await startLocalAws();
  await aws.putClient(alice.client);
  await aws.putClient({ ...registeredClient({ clientId: 'corrupt' }, 'corrupt-secret').client, allowedScopes: 'products:read' });
  vi.stubEnv('AWS_REGION', aws.region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOCAL');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local-secret');
  vi.stubEnv('AWS_ENDPOINT_URL_KMS', aws.kms.emulator.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', aws.dynamodb.endpoint);
  vi.stubEnv('CLIENTS_TABLE', aws.clientsTable);
  vi.stubEnv('SIGNING_KEY_ID', aws.signingKeyArn);
  vi.stubEnv('MAX_TOKEN_LIFETIME_SECONDS', '3600');
  vi.stubEnv('ISSUER', '');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'token');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  // Even if someone turns event logging on, the handler must not log the event.
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
  output = captureOutput();
});

afterAll(async () => {
  output.stop();
  vi.unstubAllEnvs();
  await aws.close();
});

describe('token handler on real SDK clients', () => {
  it('answers 503 when KMS is unreachable at cold start, and retries GetPublicKey on the next request', async () => {
    const kms = mockClient(KMSClient);
    kms.on(GetPublicKeyCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }));
    try {
      handler = await coldStart();
      expectUnavailable(await call(), '1');
    } finally {
      kms.restore();
    }
    await expectRecovered();
  });

  it('issues a token that verifies against the KMS public key under its RFC 7638 kid', async () => {
    const response = await call();
    expect(response.statusCode).toBe(200);
    const { access_token: token, expires_in: expiresIn } = JSON.parse(response.body) as { access_token: string; expires_in: number };
    const { PublicKey } = await aws.kms.kms.send(new GetPublicKeyCommand({ KeyId: aws.signingKeyArn }));
    const spki = PublicKey ?? new Uint8Array();
    const { payload, protectedHeader } = await jwtVerify(token, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }), {
      algorithms: ['RS256'],
      typ: 'at+jwt',
      // ISSUER is empty: the stage URL of the event's API id and stage, in the region Lambda sets as AWS_REGION.
      issuer: `https://${API_ID}.execute-api.${aws.region}.amazonaws.com/${STAGE}`,
      audience: PRODUCTS,
    });
    expect(protectedHeader).toStrictEqual({ alg: 'RS256', typ: 'at+jwt', kid: verificationKeyFromSpki(aws.signingKeyArn, spki).kid });
    expect(payload).toMatchObject({ sub: 'alice', client_id: 'alice', scope: 'products:read' });
    expect(expiresIn).toBe(900);
  });

  it.each([
    ['DynamoDB throttling', new ProvisionedThroughputExceededException({ message: 'Throughput exceeds the provisioned capacity', $metadata: { httpStatusCode: 400 } })],
    ['DynamoDB request-rate throttling', new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: { httpStatusCode: 400 } })],
    ['a DynamoDB timeout', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' })],
    ['a DynamoDB network error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ])('answers 503 temporarily_unavailable with Retry-After on %s, then recovers', async (_, fault) => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    dynamodb.on(GetCommand).rejects(fault);
    try {
      expectUnavailable(await call(), '1');
    } finally {
      dynamodb.restore();
    }
    await expectRecovered();
  });

  it.each([
    ['KMS throttling', new LimitExceededException({ message: 'Rate exceeded', $metadata: {} }), '1'],
    ['a KMS internal error', new KMSInternalException({ message: 'internal', $metadata: { httpStatusCode: 500 } }), '1'],
    ['an unavailable key', new KeyUnavailableException({ message: 'unavailable', $metadata: {} }), '1'],
    ['a KMS dependency timeout', new DependencyTimeoutException({ message: 'timeout', $metadata: {} }), '1'],
    ['a KMS socket timeout', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), '1'],
    ['a disabled key', new DisabledException({ message: `${'arn:aws:kms:us-east-1:000000000000:key/x'} is disabled.`, $metadata: {} }), '30'],
    ['a key pending deletion', new KMSInvalidStateException({ message: 'pending deletion', $metadata: {} }), '30'],
    ['a deleted key', new NotFoundException({ message: 'not found', $metadata: {} }), '30'],
  ])('answers 503 when KMS Sign fails with %s, then recovers', async (_, fault, retryAfter) => {
    const kms = mockClient(KMSClient);
    kms.on(SignCommand).rejects(fault);
    try {
      expectUnavailable(await call(), retryAfter);
    } finally {
      kms.restore();
    }
    await expectRecovered();
  });

  it('answers 503 while the real signing key is disabled in KMS, and recovers once it is enabled', async () => {
    await aws.kms.kms.send(new DisableKeyCommand({ KeyId: aws.signingKeyArn }));
    try {
      expectUnavailable(await call(), '30');
    } finally {
      await aws.kms.kms.send(new EnableKeyCommand({ KeyId: aws.signingKeyArn }));
    }
    await expectRecovered();
  });

  it('answers a corrupt client record with a generic 500 server_error', async () => {
    const event = tokenEvent({ headers: { Authorization: basic('corrupt', 'corrupt-secret') }, body: form({ grant_type: 'client_credentials' }) });
    const response = await call(event);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toStrictEqual({ error: 'server_error', error_description: 'The authorization server encountered an unexpected condition' });
  });

  it('refuses a wrong secret with the usual invalid_client', async () => {
    const response = await call(tokenEvent({ headers: { Authorization: basic('alice', 'wrong') }, body: form({ grant_type: 'client_credentials' }) }));
    expect(response.statusCode).toBe(401);
  });

  it('never writes a secret, the Authorization header, a body or a token to the log', () => {
    const log = output.text();
    const records = output.records();
    expect(issuedTokens.length).toBeGreaterThan(10);
    expect(records.map((record) => record.message)).toEqual(
      expect.arrayContaining(['Access token issued', 'Dependency unavailable', 'Request refused', 'Unexpected error']),
    );
    for (const forbidden of [alice.secret, 'corrupt-secret', authorization, authorization.slice('Basic '.length), 'grant_type=', 'client_credentials&']) {
      expect(log).not.toContain(forbidden);
    }
    for (const token of issuedTokens) {
      for (const part of token.split('.')) expect(log).not.toContain(part);
    }
    for (const record of records) expect(record).toHaveProperty('function_request_id');
  });

  it('logs why each request failed, with the client id and the dependency, but not SDK internals in the response', () => {
    const records = output.records();
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'Request refused', error: 'invalid_client', reason: 'wrong_secret', clientId: 'alice' }),
        expect.objectContaining({ message: 'Dependency unavailable', dependency: 'KMS', errorName: 'DisabledException' }),
        expect.objectContaining({ message: 'Dependency unavailable', dependency: 'DynamoDB', errorName: 'ProvisionedThroughputExceededException' }),
        expect.objectContaining({ message: 'Unexpected error', error: expect.objectContaining({ name: 'CorruptClientRecord' }) }),
      ]),
    );
  });
});

describe('handler module', () => {
  it('fails to load with a ConfigurationError naming the variable when the environment is wrong', async () => {
    vi.stubEnv('SIGNING_KEY_ID', 'alias/token-signing');
    vi.stubEnv('CLIENTS_TABLE', '');
    try {
      const loading = coldStart();
      await expect(loading).rejects.toMatchObject({ name: 'ConfigurationError' });
      await expect(loading).rejects.toThrow(/CLIENTS_TABLE.*SIGNING_KEY_ID: must be a KMS key ARN or key id \(not an alias\)/);
    } finally {
      vi.stubEnv('SIGNING_KEY_ID', aws.signingKeyArn);
      vi.stubEnv('CLIENTS_TABLE', aws.clientsTable);
    }
  });
});
