import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptClientRecord, dynamoClientStore } from '#shared/clients/dynamo-client-store.js';
import { TemporarilyUnavailable } from '#shared/errors/oauth-errors.js';
import { registeredClient } from './support/registered-clients.js';
import { startLocalAws, type LocalAws } from './support/local-aws.js';

let aws: LocalAws;
const alice = registeredClient({ clientId: 'alice' }).client;

beforeAll(async () => {
  aws = await startLocalAws();
  await aws.putClient(alice);
  await aws.putClient({ ...registeredClient({ clientId: 'corrupt' }).client, status: 'suspended', secrets: 'not-a-list' });
});

afterAll(() => aws.close());

describe('DynamoDB client store', () => {
  it('reads a registered client by id', async () => {
    await expect(dynamoClientStore(aws.documents, aws.clientsTable).find('alice')).resolves.toEqual(alice);
  });

  it('answers undefined for an unknown client', async () => {
    await expect(dynamoClientStore(aws.documents, aws.clientsTable).find('nobody')).resolves.toBeUndefined();
  });

  it('fails closed on an item that does not match the schema, naming paths but no values', async () => {
    const error = await dynamoClientStore(aws.documents, aws.clientsTable).find('corrupt').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptClientRecord);
    expect((error as CorruptClientRecord).paths).toEqual(expect.arrayContaining(['status', 'secrets']));
    expect((error as Error).message).not.toContain('not-a-list');
  });

  it('turns a missing table into temporarily_unavailable with a long Retry-After', async () => {
    const error = await dynamoClientStore(aws.documents, 'no-such-table').find('alice').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemporarilyUnavailable);
    expect(error).toMatchObject({ retryAfterSeconds: 30, context: { dependency: 'DynamoDB', errorName: 'ResourceNotFoundException' } });
  });

  it('turns throttling into temporarily_unavailable with a short Retry-After', async () => {
    const dynamodb = mockClient(DynamoDBDocumentClient);
    dynamodb.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }));
    try {
      const error = await dynamoClientStore(aws.documents, aws.clientsTable).find('alice').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ error: 'temporarily_unavailable', retryAfterSeconds: 1 });
    } finally {
      dynamodb.restore();
    }
  });
});
