import { mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
  KMSInternalException,
  KMSServiceException,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { credentials, startKmsFixture, type KmsFixture } from './kms-fixture.js';

const logLines: string[] = [];
let fixture: KmsFixture;
let keyId: string;

beforeAll(async () => {
  fixture = await startKmsFixture({ region: 'ap-southeast-2', log: (line) => logLines.push(line) });
  // Raw requests below carry no credential scope, so they land in the configured region.
  keyId = (await fixture.createSigningKey(fixture.clientFor('ap-southeast-2'))).KeyId;
});
afterAll(() => fixture.close());

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: { __type?: string; message?: string; [member: string]: unknown } | undefined;
}

/** A hand-made AWS JSON 1.1 request, for what the SDK would never send. */
async function post(target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await fetch(`${fixture.emulator.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target !== undefined && { 'x-amz-target': target }), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** The parts of the SDK's outgoing HTTP request the tamper hooks touch. */
interface OutgoingRequest {
  headers: Record<string, string>;
  body: unknown;
}

/** An SDK client whose requests are altered just before signing. */
function tamperedClient(tamper: (request: OutgoingRequest) => void): KMSClient {
  const client = fixture.clientFor('ap-southeast-2');
  client.middlewareStack.add(
    (next) => async (args) => {
      tamper(args.request as OutgoingRequest);
      return next(args);
    },
    { step: 'build', priority: 'high' },
  );
  return client;
}

const describeBody = (id: string) => JSON.stringify({ KeyId: id });

describe('wire format', () => {
  it('answers with the AWS JSON content type and a fresh x-amzn-RequestId per request', async () => {
    const first = await post('TrentService.DescribeKey', describeBody(keyId));
    const second = await post('TrentService.DescribeKey', describeBody(keyId));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(first.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get('x-amzn-requestid')).not.toBe(first.headers.get('x-amzn-requestid'));
    expect(typeof first.json?.KeyMetadata).toBe('object');
  });

  it('sends blobs as base64 and dates as epoch seconds', async () => {
    const key = await post('TrentService.DescribeKey', describeBody(keyId));
    const creationDate = (key.json?.KeyMetadata as { CreationDate: unknown }).CreationDate;
    expect(typeof creationDate).toBe('number');
    expect(Math.abs((creationDate as number) - Date.now() / 1000)).toBeLessThan(600);
    const publicKey = await post('TrentService.GetPublicKey', describeBody(keyId));
    expect(publicKey.json?.PublicKey).toMatch(/^MII[A-Za-z0-9+/]+=*$/);
  });

  it('answers an operation without output with 200 and an empty body', async () => {
    const answer = await post('TrentService.EnableKey', describeBody(keyId));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.headers.get('content-length')).toBe('0');
  });

  it('shapes errors as HTTP 400 with __type, message and x-amzn-ErrorType', async () => {
    const answer = await post('TrentService.DescribeKey', describeBody('5ef1cd3a-0b39-4b0e-8d57-36f2a3e1d7a1'));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      __type: 'NotFoundException',
      message: "Key 'arn:aws:kms:ap-southeast-2:000000000000:key/5ef1cd3a-0b39-4b0e-8d57-36f2a3e1d7a1' does not exist",
    });
    expect(answer.headers.get('x-amzn-errortype')?.split(':')[0]).toBe('NotFoundException');
    expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('protocol errors', () => {
  it('answers UnknownOperationException for an unknown or missing target, and for other methods', async () => {
    for (const target of ['TrentService.Encrypt', 'TrentService.Nope', 'DynamoDB_20120810.GetItem', undefined]) {
      const answer = await post(target, '{}');
      expect(answer.status, String(target)).toBe(400);
      expect(answer.json?.__type, String(target)).toBe('UnknownOperationException');
    }
    const get = await fetch(`${fixture.emulator.endpoint}/`);
    expect(get.status).toBe(400);
    expect(((await get.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('is seen by the SDK as a KMSServiceException named UnknownOperationException', async () => {
    const client = tamperedClient((request) => (request.headers['x-amz-target'] = 'TrentService.Bogus'));
    const attempt = client.send(new DescribeKeyCommand({ KeyId: keyId }));
    await expect(attempt).rejects.toBeInstanceOf(KMSServiceException);
    await expect(attempt).rejects.toMatchObject({ name: 'UnknownOperationException', $fault: 'client' });
  });

  it('answers SerializationException for a body that is not a JSON object', async () => {
    for (const body of ['{"KeyId":', 'not json', '[]', 'null', '"text"']) {
      const answer = await post('TrentService.DescribeKey', body);
      expect(answer.status, body).toBe(400);
      expect(answer.json?.__type, body).toBe('SerializationException');
    }
    const client = tamperedClient((request) => (request.body = '{"KeyId": '));
    await expect(client.send(new DescribeKeyCommand({ KeyId: keyId }))).rejects.toMatchObject({ name: 'SerializationException' });
  });

  it('answers ValidationException for members of the wrong type', async () => {
    const cases = [
      { KeyId: 5 },
      { KeyId: keyId, Message: 'not base64!', SigningAlgorithm: 'RSASSA_PSS_SHA_256' },
      { KeyId: keyId, Message: 'bQ==', SigningAlgorithm: 'RSASSA_PSS_SHA_256', GrantTokens: 'one' },
      { KeyId: keyId, PendingWindowInDays: '7' },
      { KeyId: keyId, PendingWindowInDays: 7.5 },
    ];
    const targets = ['DescribeKey', 'Sign', 'Sign', 'ScheduleKeyDeletion', 'ScheduleKeyDeletion'];
    for (const [index, body] of cases.entries()) {
      const answer = await post(`TrentService.${targets[index]}`, JSON.stringify(body));
      expect(answer.json?.__type, JSON.stringify(body)).toBe('ValidationException');
    }
    expect((await post('TrentService.DescribeKey', describeBody(keyId))).json?.KeyMetadata).toMatchObject({ KeyState: 'Enabled' });
  });

  it('refuses a body over 1 MB with 413 ValidationException and keeps serving', async () => {
    const answer = await post('TrentService.CreateKey', JSON.stringify({ Description: 'x'.repeat(1024 * 1024) }));
    expect(answer.status).toBe(413);
    expect(answer.json?.__type).toBe('ValidationException');

    const viaSdk = fixture.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'y'.repeat(2_000_000) }));
    await expect(viaSdk).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 413 } });
    expect((await post('TrentService.DescribeKey', describeBody(keyId))).status).toBe(200);
  });

  it('survives a client that disconnects halfway through its body', async () => {
    const { port } = fixture.emulator;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.DescribeKey\r\nContent-Length: 1000\r\n\r\n{"KeyId"');
        socket.destroy();
        resolve();
      });
      socket.on('error', reject);
    });
    expect((await post('TrentService.DescribeKey', describeBody(keyId))).status).toBe(200);
    await vi.waitFor(() => expect(logLines.some((line) => line.includes('client disconnected'))).toBe(true));
    expect(logLines.some((line) => line.includes('internal error'))).toBe(false);
  });

  it('answers 500 KMSInternalException when it cannot persist, and recovers', async () => {
    const stateFile = join(fixture.dataDir, 'kms', 'keys.json');
    await rm(stateFile);
    await mkdir(stateFile); // rename onto a directory fails even for root
    try {
      const attempt = fixture.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
      await expect(attempt).rejects.toBeInstanceOf(KMSInternalException);
      await expect(attempt).rejects.toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
      expect(logLines.some((line) => line.includes('internal error') && line.includes('EISDIR'))).toBe(true);
    } finally {
      await rm(stateFile, { recursive: true });
    }
    await fixture.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
  });
});

describe('region and endpoint', () => {
  it('takes the region from the SigV4 credential scope, whatever the signature', async () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/eu-central-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000';
    const answer = await post('TrentService.CreateKey', JSON.stringify({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }), {
      authorization,
    });
    expect((answer.json?.KeyMetadata as { Arn: string }).Arn).toMatch(/^arn:aws:kms:eu-central-1:000000000000:key\//);
  });

  it('falls back to the configured region without a credential scope', async () => {
    for (const headers of [{}, { authorization: 'Bearer something' }] as Record<string, string>[]) {
      const answer = await post('TrentService.DescribeKey', describeBody(keyId), headers);
      expect((answer.json?.KeyMetadata as { Arn: string }).Arn).toBe(`arn:aws:kms:ap-southeast-2:000000000000:key/${keyId}`);
    }
  });

  it('is reachable by an SDK client configured only through AWS_ENDPOINT_URL_KMS', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_KMS;
    process.env.AWS_ENDPOINT_URL_KMS = fixture.emulator.endpoint;
    const client = new KMSClient({ region: 'ap-southeast-2', credentials, maxAttempts: 1 });
    try {
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
      expect(KeyMetadata?.KeyId).toBe(keyId);
      await expect(client.send(new DescribeKeyCommand({ KeyId: 'alias/none' }))).rejects.toBeInstanceOf(NotFoundException);
    } finally {
      client.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_KMS;
      else process.env.AWS_ENDPOINT_URL_KMS = previous;
    }
  });
});
