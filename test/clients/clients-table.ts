import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { parse, type Tags } from 'yaml';
import { z } from 'zod';

/**
 * A real DynamoDB API (dynalite) with a clients table shaped exactly as template.yaml declares it, so the
 * adapter is tested against the key schema it will meet in AWS, not one copied into the test.
 */
export interface ClientsTableFixture {
  endpoint: string;
  region: string;
  tableName: string;
  dynamodb: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  createTable(tableName?: string): Promise<string>;
  close(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';

export async function startClientsTable(): Promise<ClientsTableFixture> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const dynamodb = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  const definition = await clientsTableDefinition();

  async function createTable(tableName = `clients-${randomUUID()}`): Promise<string> {
    await dynamodb.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...definition }));
    for (;;) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return tableName;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    endpoint,
    region: REGION,
    tableName: await createTable(),
    dynamodb,
    documentClient: DynamoDBDocumentClient.from(dynamodb),
    createTable,
    async close() {
      dynamodb.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

const tableProperties = z.object({
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) })),
  KeySchema: z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) })),
});

// CloudFormation short forms (!Ref, !GetAtt, !If, …) only need to parse; ClientsTable's key schema uses none.
const CFN_FUNCTIONS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'If', 'Not', 'Equals', 'And', 'Or', 'Select', 'Split', 'FindInMap', 'Base64', 'Cidr', 'GetAZs', 'ImportValue'];
const cloudFormationTags: Tags = CFN_FUNCTIONS.flatMap((name) => [
  { tag: `!${name}`, resolve: () => `<${name}>` },
  { tag: `!${name}`, collection: 'seq' as const, resolve: () => `<${name}>` },
  { tag: `!${name}`, collection: 'map' as const, resolve: () => `<${name}>` },
]);

export async function clientsTableDefinition(): Promise<z.infer<typeof tableProperties>> {
  const text = await readFile(new URL('../../template.yaml', import.meta.url), 'utf8');
  const template = z
    .object({ Resources: z.object({ ClientsTable: z.object({ Properties: tableProperties }) }) })
    .parse(parse(text, { customTags: cloudFormationTags }));
  const { AttributeDefinitions, KeySchema } = template.Resources.ClientsTable.Properties;
  return { AttributeDefinitions, KeySchema };
}
