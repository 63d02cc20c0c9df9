import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { makeClientRegistry, type ClientRegistry, type IssuedSecret } from '#shared/clients/client-registry.js';
import type { NewClient } from '#shared/clients/client-settings.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { ClientRepository } from '#shared/clients/client-repository.js';
import type { ClientStore } from '#shared/clients/client-store.js';
import { dynamoClientStore } from '#shared/clients/dynamo-client-store.js';
import type { StackInfo } from '../../local/stack-info.js';
import type { TestStack } from './test-stack.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';

/**
 * Integration tests register their own clients in the running test stack, through the same registry and
 * DynamoDB adapter the admin CLI uses, over the real SDK.
 */
export function testStack(): TestStack {
  return inject('stack');
}

let registry: ClientRegistry | undefined;

export function stackRegistry(): ClientRegistry {
  registry ??= clientRegistryFor(testStack());
  return registry;
}

type StackTable = Pick<StackInfo, 'dynamodbEndpoint' | 'region' | 'clientsTable'>;

function documentClientFor(stack: Pick<StackInfo, 'dynamodbEndpoint' | 'region'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

/** The clients table of any running stack (a child stack of a restart or rotation test, say). */
export function clientRepositoryFor(stack: StackTable): ClientRepository {
  return dynamoClientRepository({ documentClient: documentClientFor(stack), tableName: stack.clientsTable });
}

/** The clients table as the functions read it: the token endpoint's ClientStore adapter. */
export function clientStoreFor(stack: StackTable): ClientStore {
  return dynamoClientStore(documentClientFor(stack), stack.clientsTable);
}

/** The revocation table of a running stack, through the adapter the functions use. */
export function revocationStoreFor(stack: Pick<StackInfo, 'dynamodbEndpoint' | 'region' | 'revocationsTable'>) {
  return dynamoRevocationStore(documentClientFor(stack), stack.revocationsTable);
}

export function clientRegistryFor(stack: StackTable & Pick<StackInfo, 'audience' | 'revocationsTable'>, clock?: () => Date): ClientRegistry {
  return makeClientRegistry({
    repository: clientRepositoryFor(stack),
    revocations: revocationStoreFor(stack),
    defaults: { audience: stack.audience },
    ...(clock && { clock }),
  });
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

type ClientCredentials = { clientId: string; clientSecret: string };

/** POSTs a client_credentials request to the stack's token endpoint. */
export async function requestToken(client: ClientCredentials, params: Record<string, string> = {}): Promise<Response> {
  return requestTokenFrom(testStack().tokenEndpoint, client, params);
}

/** POSTs a client_credentials request, authenticated with client_secret_basic, to `tokenEndpoint`. */
export async function requestTokenFrom(tokenEndpoint: string, client: ClientCredentials, params: Record<string, string> = {}): Promise<Response> {
  return fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basicAuthorization(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
  });
}

/** An access token for `client`, failing loudly if the endpoint refuses. */
export async function accessTokenFor(client: ClientCredentials, params: Record<string, string> = {}): Promise<string> {
  return accessTokenFrom(testStack().tokenEndpoint, client, params);
}

export async function accessTokenFrom(tokenEndpoint: string, client: ClientCredentials, params: Record<string, string> = {}): Promise<string> {
  const response = await requestTokenFrom(tokenEndpoint, client, params);
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}
