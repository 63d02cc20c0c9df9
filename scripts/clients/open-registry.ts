import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkLimits } from '#shared/aws/sdk-limits.js';
import { makeClientRegistry, type ClientRegistry } from '#shared/clients/client-registry.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { Connection } from './connection.js';

/** The registry over the connection's clients table; `close` releases the SDK's sockets so the process can exit. */
export function openRegistry(connection: Connection, clock: () => Date): { registry: ClientRegistry; close(): void } {
  const dynamodb = new DynamoDBClient({ ...sdkLimits, ...connection.dynamodb });
  const repository = dynamoClientRepository({ documentClient: DynamoDBDocumentClient.from(dynamodb), tableName: connection.tableName });
  return {
    registry: makeClientRegistry({ repository, defaults: connection.defaults, clock }),
    close: () => dynamodb.destroy(),
  };
}
