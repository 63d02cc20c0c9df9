import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Creates each table that does not exist yet; existing tables (and their data) are left alone. */
export async function ensureTables(dynamodb: DynamoDBClient, tables: readonly CreateTableCommandInput[]): Promise<void> {
  for (const table of tables) {
    try {
      await dynamodb.send(new DescribeTableCommand({ TableName: table.TableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await dynamodb.send(new CreateTableCommand(table));
    }
  }
}
