import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { fileURLToPath } from 'node:url';
import { buildStack, describeTables, readTemplate } from '../../local/template/index.js';

/**
 * A real DynamoDB API (dynalite, in memory, on a free loopback port) and a table whose key schema is read
 * from template.yaml, so an adapter is tested against the keys it will meet in AWS rather than a copy.
 */
export interface TemplateTableFixture {
  endpoint: string;
  dynamodb: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  region: string;
  /** Creates a fresh table shaped like the template resource (ACTIVE when this resolves); returns its name. */
  createTable(tableName?: string): Promise<string>;
  /** The same for another table of the template, in the same DynamoDB. */
  createTemplateTable(resourceName: string): Promise<string>;
  /** Stops dynalite: every later call fails as if DynamoDB were unreachable. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';

export async function startTemplateTable(resourceName: string): Promise<TemplateTableFixture> {
  const definition = await tableDefinition(resourceName);
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // One attempt and short timeouts: a stopped server should fail a test fast, not after SDK retries.
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2000 },
  });
  let running = true;
  const stop = () =>
    running
      ? new Promise<void>((resolve, reject) => {
          running = false;
          server.closeAllConnections?.();
          server.close((error) => (error ? reject(error) : resolve()));
        })
      : Promise.resolve();

  return {
    endpoint,
    dynamodb,
    documentClient: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    region: REGION,
    async createTable(tableName = `${resourceName}-${randomUUID()}`) {
      await dynamodb.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...definition }));
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.1 }, { TableName: tableName });
      return tableName;
    },
    async createTemplateTable(otherResource) {
      const tableName = `${otherResource}-${randomUUID()}`;
      await dynamodb.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...(await tableDefinition(otherResource)) }));
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.1 }, { TableName: tableName });
      return tableName;
    },
    stop,
    async close() {
      dynamodb.destroy();
      await stop();
    },
  };
}

/** The table's keys and indexes exactly as the project's template reader (the local stack's) describes them. */
export async function tableDefinition(resourceName: string): Promise<Omit<CreateTableCommandInput, 'TableName' | 'BillingMode'>> {
  const stack = buildStack(await readTemplate(fileURLToPath(new URL('../../template.yaml', import.meta.url))));
  const table = describeTables(stack)[resourceName];
  if (table === undefined) throw new Error(`template.yaml has no table ${resourceName}`);
  const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes } = table.input;
  return {
    AttributeDefinitions,
    KeySchema,
    ...(GlobalSecondaryIndexes && { GlobalSecondaryIndexes }),
    ...(LocalSecondaryIndexes && { LocalSecondaryIndexes }),
  };
}
