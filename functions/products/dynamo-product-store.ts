import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CorruptProduct, StoreUnavailable } from './errors.js';
import { readStoredProduct, type Product } from './product.js';
import type { ProductStore } from './product-store.js';

export interface DynamoProductStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** ProductStore on the ProductsTable of template.yaml (hash key `id`, string). */
export function dynamoProductStore({ client, tableName }: DynamoProductStoreOptions): ProductStore {
  return {
    async list(limit, cursor) {
      // Scan pages in key-hash order; LastEvaluatedKey is the cursor DynamoDB itself resumes from.
      const { Items = [], LastEvaluatedKey } = await call(() =>
        client.send(new ScanCommand({ TableName: tableName, Limit: limit, ExclusiveStartKey: cursor && { id: cursor.id } })),
      );
      const next = typeof LastEvaluatedKey?.id === 'string' ? { id: LastEvaluatedKey.id } : undefined;
      return { items: Items.map(toProduct), ...(next && { next }) };
    },

    async get(id) {
      const { Item } = await call(() => client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true })));
      return Item === undefined ? undefined : toProduct(Item);
    },

    async put(product) {
      await call(() => client.send(new PutCommand({ TableName: tableName, Item: product })));
    },

    async delete(id) {
      try {
        await client.send(new DeleteCommand({ TableName: tableName, Key: { id }, ConditionExpression: 'attribute_exists(id)' }));
        return true;
      } catch (error) {
        // The condition failed: there was nothing to delete.
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
        throw unavailable(error);
      }
    },
  };
}

/** Any failure talking to DynamoDB (service error, throttling, timeout, socket) is StoreUnavailable. */
async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw unavailable(error);
  }
}

function unavailable(error: unknown): StoreUnavailable {
  return new StoreUnavailable(`DynamoDB: ${error instanceof Error ? error.name : 'unknown error'}`, { cause: error });
}

function toProduct(item: Record<string, unknown>): Product {
  const product = readStoredProduct(item);
  if (product === undefined) throw new CorruptProduct('An item of the products table is not a product');
  return product;
}
