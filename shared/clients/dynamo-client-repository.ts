import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateScan,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  ClientAlreadyExists,
  ClientNotFound,
  ClientStorageUnavailable,
  ConcurrentModification,
} from './client-registry-errors.js';
import type { ClientRepository } from './client-repository.js';
import { CorruptClientRecord } from './dynamo-client-store.js';
import { readRegisteredClient, type RegisteredClient } from './registered-client.js';

export interface DynamoClientRepositoryConfig {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** Items per Scan request; DynamoDB's own 1 MB page limit applies regardless. */
  pageSize?: number;
}

/** Everything but the key and createdAt; written with SET so attributes this model does not know survive. */
const MUTABLE_FIELDS = [
  'name',
  'status',
  'allowedScopes',
  'defaultScopes',
  'allowedAudiences',
  'defaultAudience',
  'tokenLifetimeSeconds',
  'secrets',
  'updatedAt',
] as const satisfies readonly (keyof RegisteredClient)[];

/** Fields a client may lack: SET when present, REMOVEd when absent (claims cleared, say). */
const OPTIONAL_FIELDS = ['authMethod', 'jwks', 'claims'] as const satisfies readonly (keyof RegisteredClient)[];

/** DynamoDB rejects empty keys and keys over 2048 bytes; no client can be stored under one. */
const MAX_KEY_BYTES = 2048;

export function dynamoClientRepository({ documentClient, tableName, pageSize }: DynamoClientRepositoryConfig): ClientRepository {
  async function send<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw error;
      throw new ClientStorageUnavailable(`DynamoDB ${operation} on table "${tableName}" failed: ${describe(error)}`, { cause: error });
    }
  }

  return {
    async get(clientId) {
      if (!isStorableKey(clientId)) return undefined;
      const { Item } = await send('GetItem', () =>
        // Strongly consistent: an administrator's read-modify-write should start from the latest write.
        documentClient.send(new GetCommand({ TableName: tableName, Key: { clientId }, ConsistentRead: true })),
      );
      return Item === undefined ? undefined : toClient(Item);
    },

    async create(client) {
      try {
        await send('PutItem', () =>
          documentClient.send(
            new PutCommand({
              TableName: tableName,
              Item: toItem(client),
              ConditionExpression: 'attribute_not_exists(clientId)',
            }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailure(error)) throw new ClientAlreadyExists(client.clientId);
        throw error;
      }
    },

    async update(client, expectedUpdatedAt) {
      const item = toItem(client);
      const names: Record<string, string> = { '#clientId': 'clientId', '#expected': 'updatedAt' };
      const values: Record<string, unknown> = { ':expected': expectedUpdatedAt };
      const assignments = MUTABLE_FIELDS.map((field, index) => {
        names[`#f${index}`] = field;
        values[`:f${index}`] = item[field];
        return `#f${index} = :f${index}`;
      });
      const removals: string[] = [];
      OPTIONAL_FIELDS.forEach((field, index) => {
        names[`#o${index}`] = field;
        if (item[field] === undefined) {
          removals.push(`#o${index}`);
        } else {
          values[`:o${index}`] = item[field];
          assignments.push(`#o${index} = :o${index}`);
        }
      });
      try {
        await send('UpdateItem', () =>
          documentClient.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { clientId: client.clientId },
              UpdateExpression: `SET ${assignments.join(', ')}${removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''}`,
              ConditionExpression: 'attribute_exists(#clientId) AND #expected = :expected',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailure(error)) throw new ConcurrentModification(client.clientId);
        throw error;
      }
    },

    async delete(clientId) {
      if (!isStorableKey(clientId)) throw new ClientNotFound(clientId);
      try {
        await send('DeleteItem', () =>
          documentClient.send(
            new DeleteCommand({ TableName: tableName, Key: { clientId }, ConditionExpression: 'attribute_exists(clientId)' }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailure(error)) throw new ClientNotFound(clientId);
        throw error;
      }
    },

    async *list() {
      const pages = paginateScan(
        { client: documentClient, ...(pageSize === undefined ? {} : { pageSize }) },
        { TableName: tableName, ConsistentRead: true },
      );
      const iterator = pages[Symbol.asyncIterator]();
      for (;;) {
        const page = await send('Scan', () => iterator.next());
        if (page.done === true) return;
        for (const item of page.value.Items ?? []) yield toClient(item);
      }
    },
  };
}

/** Fails closed like the token endpoint's store: a bad item is reported by attribute path, never by value. */
function toClient(item: Record<string, unknown>): RegisteredClient {
  const read = readRegisteredClient(item);
  if ('client' in read) return read.client;
  const clientId = typeof item.clientId === 'string' ? item.clientId : '(no clientId)';
  throw new CorruptClientRecord(clientId, read.wrong);
}

/** Spelled out so no `undefined` reaches the marshaller, whatever its removeUndefinedValues setting. */
function toItem(client: RegisteredClient): RegisteredClient {
  return {
    clientId: client.clientId,
    name: client.name,
    status: client.status,
    allowedScopes: [...client.allowedScopes],
    defaultScopes: [...client.defaultScopes],
    allowedAudiences: [...client.allowedAudiences],
    defaultAudience: client.defaultAudience,
    tokenLifetimeSeconds: client.tokenLifetimeSeconds,
    // Set at creation only, so not among MUTABLE_FIELDS; absent on clients created before it existed.
    ...(client.canIntrospect === undefined ? {} : { canIntrospect: client.canIntrospect }),
    secrets: client.secrets.map(({ secretId, hash, createdAt, expiresAt }) => ({
      secretId,
      hash,
      createdAt,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    })),
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
    ...(client.authMethod === undefined ? {} : { authMethod: client.authMethod }),
    ...(client.jwks === undefined ? {} : { jwks: client.jwks.map((key) => ({ ...key })) }),
    ...(client.claims === undefined ? {} : { claims: { ...client.claims } }),
  };
}

function isStorableKey(clientId: string): boolean {
  return clientId.length > 0 && Buffer.byteLength(clientId, 'utf8') <= MAX_KEY_BYTES;
}

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'ResourceNotFoundException') return 'the table does not exist';
  const code = (error as { code?: unknown }).code;
  const detail = error.message !== '' ? error.message : typeof code === 'string' ? code : 'no details';
  return `${error.name}: ${detail}`;
}
