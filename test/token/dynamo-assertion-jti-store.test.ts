import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoAssertionJtiStore } from '#shared/client-auth/dynamo-assertion-jti-store.js';
import { TemporarilyUnavailable } from '#shared/errors/oauth-errors.js';
import { startTemplateTable, type TemplateTableFixture } from '../support/template-table.js';

/**
 * The used-assertion store against a real DynamoDB API and the key schema of template.yaml's table. The
 * emulator does not delete expired items (TTL is DynamoDB's background job on AWS, and even there takes
 * up to days), so the conditional write itself must treat an expired record as absent.
 */
let fixture: TemplateTableFixture;
let table: string;

beforeAll(async () => {
  fixture = await startTemplateTable('ClientAssertionsTable');
  table = await fixture.createTable();
});

afterAll(() => fixture.close());

describe('DynamoDB assertion jti store', () => {
  it('accepts a jti once while its record lives', async () => {
    const store = dynamoAssertionJtiStore(fixture.documentClient, table);
    expect(await store.claim('client-a', 'jti-1', 2_000_000_100, 2_000_000_000)).toBe(true);
    expect(await store.claim('client-a', 'jti-1', 2_000_000_100, 2_000_000_050)).toBe(false);
    expect(await store.claim('client-a', 'jti-1', 2_000_000_100, 2_000_000_100)).toBe(false);
  });

  it('keys records by client: another client may use the same jti', async () => {
    const store = dynamoAssertionJtiStore(fixture.documentClient, table);
    expect(await store.claim('client-b', 'shared', 2_000_000_100, 2_000_000_000)).toBe(true);
    expect(await store.claim('client-c', 'shared', 2_000_000_100, 2_000_000_000)).toBe(true);
  });

  it('treats a record whose expiry has passed as absent, though TTL has not deleted it yet', async () => {
    const store = dynamoAssertionJtiStore(fixture.documentClient, table);
    expect(await store.claim('client-d', 'jti-2', 2_000_000_100, 2_000_000_000)).toBe(true);
    expect(await store.claim('client-d', 'jti-2', 2_000_000_300, 2_000_000_101)).toBe(true);
    expect(await store.claim('client-d', 'jti-2', 2_000_000_300, 2_000_000_200)).toBe(false);
  });

  it('lets exactly one of concurrent claims of one jti through', async () => {
    const store = dynamoAssertionJtiStore(fixture.documentClient, table);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.claim('client-e', 'race', 2_000_000_100, 2_000_000_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('answers temporarily_unavailable when DynamoDB cannot be reached', async () => {
    const store = dynamoAssertionJtiStore(fixture.documentClient, 'no-such-table');
    await expect(store.claim('client-f', 'jti', 2_000_000_100, 2_000_000_000)).rejects.toBeInstanceOf(TemporarilyUnavailable);
  });
});
