import { beforeEach, describe, expect, it } from 'vitest';
import { ClientAlreadyExists, ClientNotFound, ConcurrentModification } from '#shared/clients/client-registry-errors.js';
import type { ClientRepository } from '#shared/clients/client-repository.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { sampleClient } from './sample-client.js';

/**
 * What every ClientRepository must do. Run against DynamoDB (dynalite) and against the in-memory fake,
 * so the fake the registry tests rely on cannot drift from the real adapter.
 */
export function describeClientRepositoryContract(label: string, makeRepository: () => Promise<ClientRepository>): void {
  describe(`${label} (ClientRepository contract)`, () => {
    let repository: ClientRepository;
    beforeEach(async () => {
      repository = await makeRepository();
    });

    async function all(): Promise<RegisteredClient[]> {
      const clients: RegisteredClient[] = [];
      for await (const client of repository.list()) clients.push(client);
      return clients;
    }

    it('returns what was created, and undefined for an unknown id', async () => {
      const client = sampleClient({
        secrets: [
          { secretId: 'a', hash: 'sha256:a', createdAt: '2030-01-01T00:00:00.000Z' },
          { secretId: 'b', hash: 'sha256:b', createdAt: '2030-01-02T00:00:00.000Z', expiresAt: '2030-01-03T00:00:00.000Z' },
        ],
      });
      await repository.create(client);
      expect(await repository.get(client.clientId)).toEqual(client);
      expect(await repository.get('no-such-client')).toBeUndefined();
      expect(await repository.get('')).toBeUndefined();
    });

    it('stores a private_key_jwt client with its keys and claims, and removes claims that an update leaves out', async () => {
      const client = sampleClient({
        secrets: [],
        authMethod: 'private_key_jwt',
        jwks: [{ kid: 'ec-1', kty: 'EC', crv: 'P-256', x: 'OReo58VvWv4BSnONMSwRRjERNUJhIg_v0znCd_bd7Rw', y: 'pxKmbvmVxfi7ivQAT8mkie3P9dmadA2lqePzBLsJ978', alg: 'ES256' }],
        claims: { tenant: 'acme' },
      });
      await repository.create(client);
      expect(await repository.get(client.clientId)).toEqual(client);
      const { claims: _claims, ...withoutClaims } = client;
      const updated = { ...withoutClaims, updatedAt: '2030-02-01T00:00:00.000Z' };
      await repository.update(updated, client.updatedAt);
      expect(await repository.get(client.clientId)).toEqual(updated);
    });

    it('refuses to create a client whose id is taken, keeping the stored one', async () => {
      const client = sampleClient();
      await repository.create(client);
      await expect(repository.create({ ...client, name: 'Impostor' })).rejects.toBeInstanceOf(ClientAlreadyExists);
      expect((await repository.get(client.clientId))?.name).toBe(client.name);
    });

    it('updates when updatedAt still matches, keeping createdAt', async () => {
      const client = sampleClient();
      await repository.create(client);
      const changed: RegisteredClient = {
        ...client,
        name: 'Renamed',
        status: 'disabled',
        secrets: [],
        createdAt: '2099-01-01T00:00:00.000Z',
        updatedAt: '2030-01-01T00:00:01.000Z',
      };
      await repository.update(changed, client.updatedAt);
      expect(await repository.get(client.clientId)).toEqual({ ...changed, createdAt: client.createdAt });
    });

    it('rejects an update based on a stale updatedAt with ConcurrentModification', async () => {
      const client = sampleClient();
      await repository.create(client);
      await repository.update({ ...client, name: 'First writer', updatedAt: '2030-01-01T00:00:01.000Z' }, client.updatedAt);
      const lateWrite = repository.update({ ...client, name: 'Second writer', updatedAt: '2030-01-01T00:00:02.000Z' }, client.updatedAt);
      await expect(lateWrite).rejects.toBeInstanceOf(ConcurrentModification);
      expect((await repository.get(client.clientId))?.name).toBe('First writer');
    });

    it('rejects an update of a deleted client instead of recreating it', async () => {
      const client = sampleClient();
      await repository.create(client);
      await repository.delete(client.clientId);
      await expect(repository.update({ ...client, updatedAt: '2030-01-01T00:00:01.000Z' }, client.updatedAt)).rejects.toBeInstanceOf(
        ConcurrentModification,
      );
      expect(await repository.get(client.clientId)).toBeUndefined();
    });

    it('deletes, and reports ClientNotFound when there is nothing to delete', async () => {
      const client = sampleClient();
      await repository.create(client);
      await repository.delete(client.clientId);
      expect(await repository.get(client.clientId)).toBeUndefined();
      await expect(repository.delete(client.clientId)).rejects.toBeInstanceOf(ClientNotFound);
      await expect(repository.delete('')).rejects.toBeInstanceOf(ClientNotFound);
    });

    it('lists every client', async () => {
      const clients = [sampleClient(), sampleClient(), sampleClient()];
      for (const client of clients) await repository.create(client);
      const listed = await all();
      expect(listed.map((client) => client.clientId).sort()).toEqual(clients.map((client) => client.clientId).sort());
      expect(listed).toContainEqual(clients[1]);
    });
  });
}
