import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * Creates each table that does not exist yet; existing tables (and their data) are left alone.
 * Returns the names of the tables it created, so first-start seeding happens once.
 */
export async function ensureTables(dynamodb: DynamoDBClient, tables: readonly CreateTableCommandInput[]): Promise<string[]> {
  const created: string[] = [];
  for (const table of tables) {
    try {
      await dynamodb.send(new DescribeTableCommand({ TableName: table.TableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await dynamodb.send(new CreateTableCommand(table));
      // dynalite answers CreateTable before the table takes writes; seeding must wait for ACTIVE.
      await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.5 }, { TableName: table.TableName });
      created.push(table.TableName ?? '');
    }
  }
  return created;
}
