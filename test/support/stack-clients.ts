import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { makeClientRegistry, type ClientRegistry, type IssuedSecret } from '#shared/clients/client-registry.js';
import type { NewClient } from '#shared/clients/client-settings.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { TestStack } from './test-stack.js';

/**
 * Integration tests register their own clients in the running test stack, through the same registry and
 * DynamoDB adapter the admin CLI uses, over the real SDK.
 */
export function testStack(): TestStack {
  return inject('stack');
}

let registry: ClientRegistry | undefined;

export function stackRegistry(): ClientRegistry {
  if (registry !== undefined) return registry;
  const stack = testStack();
  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  registry = makeClientRegistry({
    repository: dynamoClientRepository({ documentClient, tableName: stack.clientsTable }),
    defaults: { audience: stack.audience },
  });
  return registry;
}

export type TestClient = { clientId: string; clientSecret: string; issued: IssuedSecret };

/** A fresh client with its one-time secret; scopes default to products:read. */
export async function createTestClient(input: Partial<NewClient> = {}): Promise<TestClient> {
  const issued = await stackRegistry().createClient({ name: 'test client', scopes: ['products:read'], ...input });
  return { clientId: issued.client.clientId, clientSecret: issued.clientSecret, issued };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before base64. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** POSTs a client_credentials request to the stack's token endpoint. */
export async function requestToken(
  client: { clientId: string; clientSecret: string },
  params: Record<string, string> = {},
): Promise<Response> {
  return fetch(testStack().tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basicAuthorization(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
}

/** An access token for `client`, failing loudly if the endpoint refuses. */
export async function accessTokenFor(client: { clientId: string; clientSecret: string }, params: Record<string, string> = {}): Promise<string> {
  const response = await requestToken(client, params);
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}
