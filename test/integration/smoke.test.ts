import { describe, expect, it } from 'vitest';
import { accessTokenFor, createTestClient, testStack } from '../support/stack-clients.js';

describe('local stack', () => {
  it('issues a token that opens GET /products', async () => {
    const client = await createTestClient({ scopes: ['products:read'] });
    const token = await accessTokenFor(client);
    const response = await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: unknown[] };
    expect(body.items.length).toBeGreaterThan(0);
  });
});
