import { ClientAlreadyExists, ClientNotFound, ConcurrentModification } from '#shared/clients/client-registry-errors.js';
import type { ClientRepository } from '#shared/clients/client-repository.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';

/**
 * The repository contract (client-repository-contract.ts) held in a Map. Copies on the way in and out,
 * as a real store would, so the registry cannot get away with mutating what it read.
 */
export function inMemoryClientRepository(): ClientRepository & { items: Map<string, RegisteredClient> } {
  const items = new Map<string, RegisteredClient>();
  return {
    items,
    async get(clientId) {
      const client = items.get(clientId);
      return client === undefined ? undefined : structuredClone(client);
    },
    async create(client) {
      if (items.has(client.clientId)) throw new ClientAlreadyExists(client.clientId);
      items.set(client.clientId, structuredClone(client));
    },
    async update(client, expectedUpdatedAt) {
      const stored = items.get(client.clientId);
      if (stored === undefined || stored.updatedAt !== expectedUpdatedAt) throw new ConcurrentModification(client.clientId);
      items.set(client.clientId, structuredClone({ ...client, createdAt: stored.createdAt }));
    },
    async delete(clientId) {
      if (!items.delete(clientId)) throw new ClientNotFound(clientId);
    },
    async *list() {
      for (const client of [...items.values()]) yield structuredClone(client);
    },
  };
}
