import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoProductStore } from '../../functions/products/dynamo-product-store.js';
import { CorruptProduct, StoreUnavailable } from '../../functions/products/errors.js';
import { SEED_PRODUCTS, seedProducts } from '../../functions/products/seed.js';
import { startTemplateTable, type TemplateTableFixture } from '../support/template-table.js';
import { describeProductStoreContract } from './product-store-contract.js';

let dynamo: TemplateTableFixture;

beforeAll(async () => {
  dynamo = await startTemplateTable('ProductsTable');
});

afterAll(async () => {
  await dynamo.close();
});

async function freshStore() {
  const tableName = await dynamo.createTable();
  return { tableName, store: dynamoProductStore({ client: dynamo.documentClient, tableName }) };
}

describeProductStoreContract('dynamoProductStore on dynalite', async () => (await freshStore()).store);

describe('dynamoProductStore', () => {
  it('resumes a scan from a cursor naming a product that no longer exists', async () => {
    const { store } = await freshStore();
    await seedProducts(store);
    const page = await store.list(100, { id: randomUUID() });
    expect(page.items.length).toBeLessThanOrEqual(SEED_PRODUCTS.length);
  });

  it('seeds the table with the seed products, and seeding twice changes nothing', async () => {
    const { store } = await freshStore();
    await seedProducts(store);
    await seedProducts(store);
    const { items } = await store.list(100);
    expect(items).toHaveLength(SEED_PRODUCTS.length);
    expect(items).toEqual(expect.arrayContaining(SEED_PRODUCTS.map((product) => ({ ...product }))));
  });

  it('reports an item that is not a product as CorruptProduct', async () => {
    const { store, tableName } = await freshStore();
    const id = randomUUID();
    await dynamo.documentClient.send(new PutCommand({ TableName: tableName, Item: { id, name: 'No price' } }));
    await expect(store.get(id)).rejects.toBeInstanceOf(CorruptProduct);
    await expect(store.list(10)).rejects.toBeInstanceOf(CorruptProduct);
  });

  it('drops attributes that are not part of a product', async () => {
    const { store, tableName } = await freshStore();
    const id = randomUUID();
    await dynamo.documentClient.send(new PutCommand({ TableName: tableName, Item: { id, name: 'Tamper', price: 30, internal: 'x' } }));
    expect(await store.get(id)).toEqual({ id, name: 'Tamper', price: 30 });
  });

  it('reports a missing table as StoreUnavailable, keeping the SDK error as the cause', async () => {
    const store = dynamoProductStore({ client: dynamo.documentClient, tableName: 'no-such-table' });
    const failure = await store.get(randomUUID()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailable);
    expect((failure as StoreUnavailable).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(store.delete(randomUUID())).rejects.toBeInstanceOf(StoreUnavailable);
  });
});

describe('dynamoProductStore when DynamoDB is unreachable', () => {
  it('reports every operation as StoreUnavailable', async () => {
    const down = await startTemplateTable('ProductsTable');
    const tableName = await down.createTable();
    const store = dynamoProductStore({ client: down.documentClient, tableName });
    await down.stop();
    try {
      await expect(store.list(10)).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.get(randomUUID())).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.put({ id: randomUUID(), name: 'x', price: 1 })).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.delete(randomUUID())).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await down.close();
    }
  });
});
