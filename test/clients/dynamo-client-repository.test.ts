import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientStorageUnavailable, ConcurrentModification } from '#shared/clients/client-registry-errors.js';
import { CorruptClientRecord } from '#shared/clients/dynamo-client-store.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { clientsTableDefinition, startClientsTable, type ClientsTableFixture } from './clients-table.js';
import { describeClientRepositoryContract } from './client-repository-contract.js';
import { sampleClient } from './sample-client.js';

let table: ClientsTableFixture;
beforeAll(async () => {
  table = await startClientsTable();
});
afterAll(async () => {
  await table?.close();
});

describeClientRepositoryContract('dynamoClientRepository on dynalite', async () =>
  dynamoClientRepository({ documentClient: table.documentClient, tableName: await table.createTable() }),
);

describe('dynamoClientRepository on dynalite', () => {
  it('uses the key schema template.yaml declares for ClientsTable', async () => {
    expect(await clientsTableDefinition()).toEqual({
      AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
    });
  });

  it('surfaces a lost race on the conditional write as ConcurrentModification', async () => {
    const repository = dynamoClientRepository({ documentClient: table.documentClient, tableName: table.tableName });
    const client = sampleClient();
    await repository.create(client);
    const [first, second] = await Promise.allSettled([
      repository.update({ ...client, name: 'Admin A', updatedAt: '2030-01-01T00:00:01.000Z' }, client.updatedAt),
      repository.update({ ...client, name: 'Admin B', updatedAt: '2030-01-01T00:00:01.001Z' }, client.updatedAt),
    ]);
    const outcomes = [first.status, second.status].sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const rejected = [first, second].find((result) => result.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(ConcurrentModification);
    const winner = first.status === 'fulfilled' ? 'Admin A' : 'Admin B';
    expect((await repository.get(client.clientId))?.name).toBe(winner);
  });

  it('keeps attributes it does not manage when updating', async () => {
    const repository = dynamoClientRepository({ documentClient: table.documentClient, tableName: table.tableName });
    const client = sampleClient();
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { ...client, note: 'kept' } }));
    await repository.update({ ...client, name: 'Renamed', updatedAt: '2030-01-01T00:00:01.000Z' }, client.updatedAt);
    const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { clientId: client.clientId } }));
    expect(Item).toMatchObject({ name: 'Renamed', note: 'kept' });
  });

  it('drops an expiry from a stored secret when the update no longer has one', async () => {
    const repository = dynamoClientRepository({ documentClient: table.documentClient, tableName: table.tableName });
    const client = sampleClient({
      secrets: [{ secretId: 's', hash: 'sha256:s', createdAt: '2030-01-01T00:00:00.000Z', expiresAt: '2030-02-01T00:00:00.000Z' }],
    });
    await repository.create(client);
    const withoutExpiry: RegisteredClient = {
      ...client,
      secrets: [{ secretId: 's', hash: 'sha256:s', createdAt: '2030-01-01T00:00:00.000Z', expiresAt: undefined }],
      updatedAt: '2030-01-01T00:00:01.000Z',
    };
    await repository.update(withoutExpiry, client.updatedAt);
    expect((await repository.get(client.clientId))?.secrets).toEqual([
      { secretId: 's', hash: 'sha256:s', createdAt: '2030-01-01T00:00:00.000Z' },
    ]);
  });

  it('lists across Scan pages', async () => {
    const tableName = await table.createTable();
    let scans = 0;
    const dynamodb = new DynamoDBClient({ endpoint: table.endpoint, region: table.region, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    dynamodb.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'ScanCommand') scans += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const repository = dynamoClientRepository({ documentClient: DynamoDBDocumentClient.from(dynamodb), tableName, pageSize: 2 });
    const clients = Array.from({ length: 5 }, () => sampleClient());
    for (const client of clients) await repository.create(client);

    const listed: string[] = [];
    for await (const client of repository.list()) listed.push(client.clientId);

    expect(listed.sort()).toEqual(clients.map((client) => client.clientId).sort());
    expect(scans).toBeGreaterThanOrEqual(3);
    dynamodb.destroy();
  });

  it('fails closed on a stored item that is not a valid client', async () => {
    const tableName = await table.createTable();
    const repository = dynamoClientRepository({ documentClient: table.documentClient, tableName });
    await table.documentClient.send(new PutCommand({ TableName: tableName, Item: { ...sampleClient(), clientId: 'corrupt', secrets: 'oops' } }));
    await expect(repository.get('corrupt')).rejects.toSatisfy(
      (error) => error instanceof CorruptClientRecord && error.clientId === 'corrupt' && error.paths.includes('secrets'),
    );
    await expect(async () => {
      for await (const _client of repository.list()) {
        // draining the listing is what should fail
      }
    }).rejects.toBeInstanceOf(CorruptClientRecord);
  });

  it('reports a missing table as ClientStorageUnavailable naming the table', async () => {
    const repository = dynamoClientRepository({ documentClient: table.documentClient, tableName: 'no-such-table' });
    await expect(repository.get('x')).rejects.toSatisfy(
      (error) => error instanceof ClientStorageUnavailable && /no-such-table.*does not exist/.test(error.message),
    );
  });

  it('reports an unreachable endpoint as ClientStorageUnavailable', async () => {
    const dynamodb = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
      maxAttempts: 1,
    });
    const repository = dynamoClientRepository({ documentClient: DynamoDBDocumentClient.from(dynamodb), tableName: 'clients' });
    await expect(repository.get('x')).rejects.toBeInstanceOf(ClientStorageUnavailable);
    await expect(repository.create(sampleClient())).rejects.toBeInstanceOf(ClientStorageUnavailable);
    dynamodb.destroy();
  });
});
