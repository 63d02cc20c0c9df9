import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import type { ClientStore } from './client-store.js';
import { readRegisteredClient, type RegisteredClient } from './registered-client.js';

/**
 * A clients-table item that does not match the schema. It fails closed, as a 500 rather than as
 * invalid_client: the client's credentials may be fine, the fault is ours, and a 5xx is what alarms
 * watch. Only the attribute paths are reported, never values (they include secret hashes).
 */
export class CorruptClientRecord extends Error {
  override readonly name = 'CorruptClientRecord';

  constructor(
    readonly clientId: string,
    readonly paths: readonly string[],
  ) {
    super(`Clients-table item ${JSON.stringify(clientId)} is invalid at: ${paths.join(', ')}`);
  }
}

/** The ClientStore over the clients table (partition key `clientId`). */
export function dynamoClientStore(documents: DynamoDBDocumentClient, tableName: string): ClientStore {
  return {
    async find(clientId) {
      let item: Record<string, unknown> | undefined;
      try {
        // Eventually consistent: a new or re-enabled client may take a moment to authenticate, and that
        // halves the read cost. A disabled client can likewise get tokens for about a second.
        ({ Item: item } = await documents.send(new GetCommand({ TableName: tableName, Key: { clientId } })));
      } catch (error) {
        throw dependencyUnavailable('DynamoDB', error);
      }
      return item === undefined ? undefined : toRegisteredClient(clientId, item);
    },
  };
}

function toRegisteredClient(clientId: string, item: Record<string, unknown>): RegisteredClient {
  const read = readRegisteredClient(item);
  if ('wrong' in read) throw new CorruptClientRecord(clientId, read.wrong);
  if (read.client.clientId !== clientId) throw new CorruptClientRecord(clientId, ['clientId']);
  return read.client;
}
