import type { RegisteredClient } from './registered-client.js';

/** What the token endpoint needs from the registry: one lookup by client id. */
export interface ClientStore {
  find(clientId: string): Promise<RegisteredClient | undefined>;
}
