import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { startDynamoDb, type RunningDynamoDb } from '../../../local/dynamodb/start-dynamodb.js';
import { credentials, startKmsFixture, type KmsFixture } from '../../kms/kms-fixture.js';

/**
 * The project's own emulators — KMS (local/kms) and dynalite — on free ports, reached over real HTTP by
 * unmodified SDK clients. Nothing here stubs an AWS call: faults are injected by the tests themselves.
 */
export interface LocalAws {
  kms: KmsFixture;
  dynamodb: RunningDynamoDb;
  documents: DynamoDBDocumentClient;
  clientsTable: string;
  signingKeyArn: string;
  region: string;
  putClient(client: RegisteredClient | Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalAws(): Promise<LocalAws> {
  const region = 'us-east-1';
  const dataDir = await mkdtemp(join(tmpdir(), 'token-test-'));
  const kms = await startKmsFixture();
  const dynamodb = await startDynamoDb({ path: join(dataDir, 'dynamodb') });
  const dynamo = new DynamoDBClient({ endpoint: dynamodb.endpoint, region, credentials, maxAttempts: 1 });
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const clientsTable = 'token-test-clients';
  // The template's ClientsTable key schema.
  await dynamo.send(
    new CreateTableCommand({
      TableName: clientsTable,
      AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const { Arn: signingKeyArn } = await kms.createSigningKey();
  return {
    kms,
    dynamodb,
    documents,
    clientsTable,
    signingKeyArn,
    region,
    putClient: async (client) => void (await documents.send(new PutCommand({ TableName: clientsTable, Item: client }))),
    async close() {
      documents.destroy();
      await kms.close();
      await dynamodb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
