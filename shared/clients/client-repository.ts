import type { RegisteredClient } from './registered-client.js';

/**
 * What client administration needs from storage. Writes are conditional so two administrators (or an
 * administrator and the local stack) never silently overwrite each other.
 */
export interface ClientRepository {
  get(clientId: string): Promise<RegisteredClient | undefined>;
  /** Stores a new client; throws ClientAlreadyExists when the id is taken. */
  create(client: RegisteredClient): Promise<void>;
  /**
   * Replaces the client's settings and secrets only if its stored `updatedAt` still equals
   * `expectedUpdatedAt`; throws ConcurrentModification otherwise (also when it was deleted meanwhile).
   */
  update(client: RegisteredClient, expectedUpdatedAt: string): Promise<void>;
  /** Throws ClientNotFound when there is nothing to delete. */
  delete(clientId: string): Promise<void>;
  /** Every client, read page by page. */
  list(): AsyncIterable<RegisteredClient>;
}
