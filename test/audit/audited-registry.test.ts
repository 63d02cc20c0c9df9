import { describe, expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from '#shared/audit/audit-record.js';
import { actionOf, AuditRecordNotWritten, auditedRegistry, AuditTrailUnavailable } from '#shared/audit/audited-registry.js';
import { makeClientRegistry, type ClientRegistry } from '#shared/clients/client-registry.js';
import { inMemoryClientRepository } from '../clients/in-memory-client-repository.js';

const NOW = new Date('2031-02-03T04:05:06.000Z');

function memoryAudit(): AuditLog & { records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return { records, append: async (record) => void records.push(record), read: async () => records };
}

function registry(): ClientRegistry {
  return makeClientRegistry({ repository: inMemoryClientRepository(), revocations: { revokeClientTokens: async () => {} }, defaults: { audience: 'urn:test' }, clock: () => NOW });
}

describe('auditedRegistry', () => {
  it('audits an operation the registry gains later without being told about it', async () => {
    const base = registry();
    // A registry with one more change than today's interface, as set-keys or revoke-tokens will add.
    const extended = Object.assign(Object.create(null) as object, base, {
      async setClaims(clientId: string) {
        return base.disableClient(clientId);
      },
    }) as ClientRegistry & { setClaims(clientId: string): Promise<unknown> };
    const audit = memoryAudit();
    const audited = auditedRegistry(extended, { audit, actor: async () => 'arn:aws:iam::111122223333:user/ops', clock: () => NOW }) as typeof extended;
    const { client } = await audited.createClient({ name: 'n', scopes: ['a'] });
    await audited.setClaims(client.clientId);
    expect(audit.records.map((record) => [record.action, record.actor])).toEqual([
      ['create', 'arn:aws:iam::111122223333:user/ops'],
      ['set-claims', 'arn:aws:iam::111122223333:user/ops'],
    ]);
    expect(audit.records[1]!.changes).toEqual({ status: ['active', 'disabled'] });
  });

  it('records nothing for reads, and asks for the actor only once', async () => {
    const audit = memoryAudit();
    let asked = 0;
    const audited = auditedRegistry(registry(), { audit, actor: async () => `op-${++asked}` });
    const { client } = await audited.createClient({ name: 'n', scopes: ['a'] });
    await audited.getClient(client.clientId);
    await audited.listClients();
    await audited.disableClient(client.clientId);
    expect(audit.records.map((record) => record.action)).toEqual(['create', 'disable']);
    expect(asked).toBe(1);
  });

  it('refuses changes when there is no audit log, but still reads', async () => {
    const audited = auditedRegistry(registry(), { audit: undefined, actor: async () => 'op' });
    await expect(audited.createClient({ name: 'n', scopes: ['a'] })).rejects.toThrow(AuditTrailUnavailable);
    expect(await audited.listClients()).toEqual([]);
  });

  it('says so when the change was made but its record could not be written', async () => {
    const failing: AuditLog = { append: async () => Promise.reject(new Error('throttled')), read: async () => [] };
    const audited = auditedRegistry(registry(), { audit: failing, actor: async () => 'op' });
    await expect(audited.createClient({ clientId: 'made-anyway', name: 'n', scopes: ['a'] })).rejects.toThrow(AuditRecordNotWritten);
  });

  it('names actions as the CLI does', () => {
    expect(['createClient', 'rotateSecret', 'removeSecret', 'disableClient', 'deleteClient', 'setKeys', 'revokeTokens'].map(actionOf)).toEqual([
      'create', 'rotate-secret', 'remove-secret', 'disable', 'delete', 'set-keys', 'revoke-tokens',
    ]);
  });
});
