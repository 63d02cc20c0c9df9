import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { parse, type Tags } from 'yaml';
import { z } from 'zod';

/**
 * A real DynamoDB API (dynalite, in memory, on a free loopback port) and a table whose key schema is read
 * from template.yaml, so an adapter is tested against the keys it will meet in AWS rather than a copy.
 */
export interface TemplateTableFixture {
  endpoint: string;
  dynamodb: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  /** Creates a fresh table shaped like the template resource; returns its name. */
  createTable(): Promise<string>;
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
    async createTable() {
      const tableName = `${resourceName}-${randomUUID()}`;
      await dynamodb.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...definition }));
      return tableName;
    },
    stop,
    async close() {
      dynamodb.destroy();
      await stop();
    },
  };
}

const tableProperties = z.object({
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) })),
  KeySchema: z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) })),
});

// CloudFormation short forms (!Ref, !GetAtt, !If, …) only need to parse; key schemas use none of them.
const CFN_FUNCTIONS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'If', 'Not', 'Equals', 'And', 'Or', 'Select', 'Split', 'FindInMap', 'Base64', 'Cidr', 'GetAZs', 'ImportValue'];
const cloudFormationTags: Tags = CFN_FUNCTIONS.flatMap((name) => [
  { tag: `!${name}`, resolve: () => `<${name}>` },
  { tag: `!${name}`, collection: 'seq' as const, resolve: () => `<${name}>` },
  { tag: `!${name}`, collection: 'map' as const, resolve: () => `<${name}>` },
]);

export async function tableDefinition(resourceName: string): Promise<z.infer<typeof tableProperties>> {
  const text = await readFile(new URL('../../template.yaml', import.meta.url), 'utf8');
  const template = z
    .object({ Resources: z.record(z.string(), z.object({ Type: z.string(), Properties: z.unknown() })) })
    .parse(parse(text, { customTags: cloudFormationTags }));
  const resource = template.Resources[resourceName];
  if (resource?.Type !== 'AWS::DynamoDB::Table') throw new Error(`template.yaml has no table ${resourceName}`);
  const { AttributeDefinitions, KeySchema } = tableProperties.parse(resource.Properties);
  return { AttributeDefinitions, KeySchema };
}
