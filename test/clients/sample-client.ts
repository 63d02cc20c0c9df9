import type { RegisteredClient } from '#shared/clients/registered-client.js';

let counter = 0;

/** A valid stored client; each call gets a fresh id unless one is given. */
export function sampleClient(overrides: Partial<RegisteredClient> = {}): RegisteredClient {
  counter += 1;
  return {
    clientId: `client-${counter}-${Date.now()}`,
    name: 'Sample client',
    status: 'active',
    allowedScopes: ['products:read', 'products:write'],
    defaultScopes: ['products:read'],
    allowedAudiences: ['urn:oauth-cc:products'],
    defaultAudience: 'urn:oauth-cc:products',
    tokenLifetimeSeconds: 3600,
    secrets: [{ secretId: 'secret-1', hash: 'sha256:AAAA', createdAt: '2030-01-01T00:00:00.000Z' }],
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}
