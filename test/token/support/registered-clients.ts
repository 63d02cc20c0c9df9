import type { ClientStore } from '#shared/clients/client-store.js';
import { generateClientSecret, generateSecretId, hashClientSecret } from '#shared/clients/client-secrets.js';
import type { RegisteredClient, StoredSecret } from '#shared/clients/registered-client.js';

export const NOW = new Date('2030-01-15T12:00:00.000Z');
export const PRODUCTS = 'urn:oauth-cc:products';
export const REPORTS = 'https://reports.example.com/api';

export function storedSecret(secret: string, expiresAt?: Date): StoredSecret {
  return {
    secretId: generateSecretId(),
    hash: hashClientSecret(secret),
    createdAt: '2030-01-01T00:00:00.000Z',
    ...(expiresAt !== undefined && { expiresAt: expiresAt.toISOString() }),
  };
}

/** A client as the registry stores it, with one live secret unless told otherwise. */
export function registeredClient(overrides: Partial<RegisteredClient> & { clientId: string }, secret = generateClientSecret()) {
  const client: RegisteredClient = {
    name: `client ${overrides.clientId}`,
    status: 'active',
    allowedScopes: ['products:read', 'products:write'],
    defaultScopes: ['products:read'],
    allowedAudiences: [PRODUCTS, REPORTS],
    defaultAudience: PRODUCTS,
    tokenLifetimeSeconds: 900,
    secrets: [storedSecret(secret)],
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
  return { client, secret };
}

export interface MemoryClientStore extends ClientStore {
  put(client: RegisteredClient): void;
  lookups: string[];
}

export function memoryClientStore(...clients: RegisteredClient[]): MemoryClientStore {
  const byId = new Map(clients.map((client) => [client.clientId, client]));
  const store: MemoryClientStore = {
    lookups: [],
    put: (client) => void byId.set(client.clientId, client),
    async find(clientId) {
      store.lookups.push(clientId);
      return byId.get(clientId);
    },
  };
  return store;
}
