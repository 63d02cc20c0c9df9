import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoRevocationStore, RevocationStoreError } from '#shared/revocation/dynamo-revocation-store.js';
import { startDynamoDb, type RunningDynamoDb } from '../../local/dynamodb/start-dynamodb.js';
import { credentials } from '../kms/kms-fixture.js';

const TABLE = 'revocation-test';
let dataDir: string;
let dynamodb: RunningDynamoDb;
let raw: DynamoDBClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'revocation-test-'));
  dynamodb = await startDynamoDb({ path: join(dataDir, 'dynamodb') });
  raw = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  // The template's RevocationsTable key schema.
  await raw.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  documents.destroy();
  await dynamodb.close();
  await rm(dataDir, { recursive: true, force: true });
});

const now = Math.floor(Date.now() / 1000);
const store = () => dynamoRevocationStore(documents, TABLE);

describe('the revocation table (dynamo-revocation-store.ts)', () => {
  it('revokes exactly the token whose jti was recorded, and only for the client it was issued to', async () => {
    const clientId = 'client-a';
    await store().revokeToken({ jti: 'jti-revoked', clientId, expiresAt: now + 600 });
    await expect(store().isRevoked({ jti: 'jti-revoked', clientId, issuedAt: now })).resolves.toBe(true);
    await expect(store().isRevoked({ jti: 'jti-revoked', clientId: 'someone-else', issuedAt: now })).resolves.toBe(false);
    await expect(store().isRevoked({ jti: 'jti-live', clientId, issuedAt: now })).resolves.toBe(false);
  });

  it("revokes a client's tokens issued up to its cut-off, and none issued after it", async () => {
    const clientId = 'client-b';
    await store().revokeClientTokens(clientId, now);
    await expect(store().isRevoked({ jti: 'before', clientId, issuedAt: now - 60 })).resolves.toBe(true);
    await expect(store().isRevoked({ jti: 'at', clientId, issuedAt: now })).resolves.toBe(true);
    await expect(store().isRevoked({ jti: 'after', clientId, issuedAt: now + 1 })).resolves.toBe(false);
  });
});

describe('when DynamoDB leaves keys unprocessed (throttling)', () => {
  it('fails closed rather than answer "not revoked"', async () => {
    const documentsMock = mockClient(DynamoDBDocumentClient);
    try {
      documentsMock.on(BatchGetCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'token#j' }] } }, Responses: { [TABLE]: [] } });
      const faulty = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials }));
      await expect(dynamoRevocationStore(faulty, TABLE).isRevoked({ jti: 'j', clientId: 'c', issuedAt: now })).rejects.toBeInstanceOf(RevocationStoreError);
    } finally {
      documentsMock.restore();
    }
  });
});
