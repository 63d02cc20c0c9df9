import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hashClientSecret, matchesActiveSecret } from '#shared/clients/client-secrets.js';
import { makeClientRegistry, STALE_READ_MARGIN_SECONDS, type ClientRegistry } from '#shared/clients/client-registry.js';
import {
  ClientAlreadyExists,
  ClientNotFound,
  ConcurrentModification,
  LastSecretProtected,
  SecretLimitReached,
  SecretNotFound,
  ValidationError,
} from '#shared/clients/client-registry-errors.js';
import type { ClientRepository } from '#shared/clients/client-repository.js';
import type { NewClient } from '#shared/clients/client-settings.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { describeClientRepositoryContract } from './client-repository-contract.js';
import { inMemoryClientRepository } from './in-memory-client-repository.js';

describeClientRepositoryContract('inMemoryClientRepository', async () => inMemoryClientRepository());

const START = new Date('2030-01-01T00:00:00.000Z');
const AUDIENCE = 'urn:oauth-cc:products';
const BASIC: NewClient = { name: 'Reporting job', scopes: ['products:read', 'products:write'] };

let now: Date;
let repository: ReturnType<typeof inMemoryClientRepository>;
let registry: ClientRegistry;
/** Every cut-off the registry recorded, in order. */
let cutoffs: { clientId: string; issuedUpTo: number }[];
const revocations = { revokeClientTokens: async (clientId: string, issuedUpTo: number) => void cutoffs.push({ clientId, issuedUpTo }) };

function advance(seconds: number): void {
  now = new Date(now.getTime() + seconds * 1000);
}

function stored(clientId: string): RegisteredClient {
  const client = repository.items.get(clientId);
  if (client === undefined) throw new Error(`nothing stored under ${clientId}`);
  return client;
}

function works(clientId: string, secret: string): boolean {
  return matchesActiveSecret(secret, stored(clientId).secrets, now);
}

beforeEach(() => {
  now = START;
  cutoffs = [];
  repository = inMemoryClientRepository();
  registry = makeClientRegistry({ repository, revocations, defaults: { audience: AUDIENCE, tokenLifetimeSeconds: 900 }, clock: () => now });
});

describe('cutting off a client\u2019s tokens', () => {
  const startSeconds = START.getTime() / 1000;

  it('revoke-tokens records every token issued up to this second and leaves the client active', async () => {
    const { client } = await registry.createClient(BASIC);
    now = new Date(START.getTime() + 1500);
    expect(await registry.revokeTokens(client.clientId)).toEqual({ issuedUpTo: new Date((startSeconds + 1) * 1000) });
    expect(cutoffs).toEqual([{ clientId: client.clientId, issuedUpTo: startSeconds + 1 }]);
    expect((await registry.getClient(client.clientId)).status).toBe('active');
  });

  it('disable and delete cut tokens off a little ahead (tokens issued from a stale read are refused too)', async () => {
    const { client } = await registry.createClient(BASIC);
    await registry.disableClient(client.clientId);
    expect((await registry.getClient(client.clientId)).status).toBe('disabled');
    await registry.deleteClient(client.clientId);
    expect(cutoffs).toEqual([
      { clientId: client.clientId, issuedUpTo: startSeconds + STALE_READ_MARGIN_SECONDS },
      { clientId: client.clientId, issuedUpTo: startSeconds + STALE_READ_MARGIN_SECONDS },
    ]);
  });

  it('enable records nothing: tokens cut off while disabled stay cut off', async () => {
    const { client } = await registry.createClient(BASIC);
    await registry.disableClient(client.clientId);
    await registry.enableClient(client.clientId);
    expect(cutoffs).toHaveLength(1);
  });

  it('leaves the client untouched when the cut-off cannot be recorded', async () => {
    const { client } = await registry.createClient(BASIC);
    const failing = makeClientRegistry({ repository, revocations: { revokeClientTokens: () => Promise.reject(new Error('table down')) }, clock: () => now });
    await expect(failing.disableClient(client.clientId)).rejects.toThrow('table down');
    await expect(failing.deleteClient(client.clientId)).rejects.toThrow('table down');
    expect((await registry.getClient(client.clientId)).status).toBe('active');
  });

  it.each(['revokeTokens', 'disableClient', 'deleteClient'] as const)('%s of an unknown client is ClientNotFound and records nothing', async (operation) => {
    await expect(registry[operation]('no-such-client')).rejects.toBeInstanceOf(ClientNotFound);
    expect(cutoffs).toEqual([]);
  });
});

describe('createClient', () => {
  it('returns the secret in plaintext once and stores only its hash', async () => {
    const { client, clientSecret, secretId } = await registry.createClient(BASIC);

    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored(client.clientId).secrets).toEqual([{ secretId, hash: hashClientSecret(clientSecret), createdAt: START.toISOString() }]);
    expect(JSON.stringify(stored(client.clientId))).not.toContain(clientSecret);
    expect(works(client.clientId, clientSecret)).toBe(true);
    expect(works(client.clientId, `${clientSecret}x`)).toBe(false);
  });

  it('fills in the stack defaults: all scopes by default, the stack audience, its token lifetime', async () => {
    const { client } = await registry.createClient(BASIC);

    expect(stored(client.clientId)).toEqual({
      clientId: client.clientId,
      name: 'Reporting job',
      status: 'active',
      allowedScopes: ['products:read', 'products:write'],
      defaultScopes: ['products:read', 'products:write'],
      allowedAudiences: [AUDIENCE],
      defaultAudience: AUDIENCE,
      tokenLifetimeSeconds: 900,
      authMethod: 'client_secret_basic',
      canIntrospect: false,
      secrets: [expect.objectContaining({ createdAt: START.toISOString() })],
      createdAt: START.toISOString(),
      updatedAt: START.toISOString(),
    });
  });

  it('uses 3600 s when neither the request nor the stack names a lifetime', async () => {
    const plain = makeClientRegistry({ repository, revocations, defaults: { audience: AUDIENCE } });
    const { client } = await plain.createClient(BASIC);
    expect(client.tokenLifetimeSeconds).toBe(3600);
  });

  it('stores explicit settings, trimming the name and collapsing duplicates', async () => {
    const { client } = await registry.createClient({
      name: '  Billing  ',
      scopes: ['a', 'b', 'a'],
      defaultScopes: ['b'],
      audiences: ['https://api.example.com/billing', 'urn:example:ledger', 'urn:example:ledger'],
      defaultAudience: 'urn:example:ledger',
      ttlSeconds: 86_400,
    });
    expect(stored(client.clientId)).toMatchObject({
      name: 'Billing',
      allowedScopes: ['a', 'b'],
      defaultScopes: ['b'],
      allowedAudiences: ['https://api.example.com/billing', 'urn:example:ledger'],
      defaultAudience: 'urn:example:ledger',
      tokenLifetimeSeconds: 86_400,
    });
  });

  it('generates distinct 128-bit hex client ids: URL-safe, and never read as a command-line option', async () => {
    const first = await registry.createClient(BASIC);
    const second = await registry.createClient(BASIC);
    expect(first.client.clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.client.clientId).not.toBe(first.client.clientId);
    expect(first.clientSecret).not.toBe(second.clientSecret);
  });

  it('accepts a chosen client id once, and refuses it the second time', async () => {
    const { client } = await registry.createClient({ ...BASIC, clientId: 'demo-client' });
    expect(client.clientId).toBe('demo-client');
    await expect(registry.createClient({ ...BASIC, clientId: 'demo-client' })).rejects.toBeInstanceOf(ClientAlreadyExists);
  });

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a 201-character name', { name: 'x'.repeat(201) }, 'name'],
    ['a name with control characters', { name: 'evil\u001b[2Jname' }, 'name'],
    ['no scopes', { scopes: [] }, 'scopes'],
    ['a scope with a double quote (RFC 6749 §3.3)', { scopes: ['products:read', 'bad"scope'] }, 'scopes[1]'],
    ['a scope with a backslash', { scopes: ['back\\slash'] }, 'scopes[0]'],
    ['a scope with a space inside', { scopes: ['two words'] }, 'scopes[0]'],
    ['default scopes outside the allowed ones', { defaultScopes: ['products:delete'] }, 'defaultScopes'],
    ['an empty default-scope list', { defaultScopes: [] }, 'defaultScopes'],
    ['a relative audience (RFC 8707 §2)', { audiences: ['/products'] }, 'audiences[0]'],
    ['an audience with a fragment', { audiences: ['https://api.example.com/#x'] }, 'audiences[0]'],
    ['an audience with spaces', { audiences: ['urn:a b'] }, 'audiences[0]'],
    ['an audience with a broken percent-encoding', { audiences: ['urn:a%zz'] }, 'audiences[0]'],
    ['an empty audience list', { audiences: [] }, 'audiences'],
    ['a default audience that is not an audience', { audiences: ['urn:a'], defaultAudience: 'urn:b' }, 'defaultAudience'],
    ['a zero lifetime', { ttlSeconds: 0 }, 'ttlSeconds'],
    ['a negative lifetime', { ttlSeconds: -5 }, 'ttlSeconds'],
    ['a fractional lifetime', { ttlSeconds: 1.5 }, 'ttlSeconds'],
    ['a lifetime over 86400 s', { ttlSeconds: 86_401 }, 'ttlSeconds'],
    ['a client id with a colon', { clientId: 'a:b' }, 'clientId'],
  ] satisfies [string, Partial<NewClient>, string][])('rejects %s, storing nothing', async (_label, change, field) => {
    const attempt = registry.createClient({ ...BASIC, ...change });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toSatisfy((error: ValidationError) => error.issues.some((issue) => issue.startsWith(`${field}:`)));
    expect(repository.items.size).toBe(0);
  });

  it('names every problem at once', async () => {
    const attempt = registry.createClient({ name: '', scopes: ['a"'], ttlSeconds: 0 });
    await expect(attempt).rejects.toSatisfy((error: ValidationError) => error.issues.length === 3);
  });

  it('requires an audience when the stack has none to offer', async () => {
    const noDefault = makeClientRegistry({ repository, revocations });
    await expect(noDefault.createClient(BASIC)).rejects.toSatisfy(
      (error) => error instanceof ValidationError && error.issues.some((issue) => issue.startsWith('audiences:')),
    );
  });
});

describe('getClient and listClients', () => {
  it('reports an unknown client as ClientNotFound', async () => {
    await expect(registry.getClient('missing')).rejects.toSatisfy((error) => error instanceof ClientNotFound && error.clientId === 'missing');
  });

  it('lists clients oldest first', async () => {
    expect(await registry.listClients()).toEqual([]);
    const first = await registry.createClient({ ...BASIC, name: 'first' });
    advance(1);
    const second = await registry.createClient({ ...BASIC, name: 'second' });
    expect((await registry.listClients()).map((client) => client.clientId)).toEqual([first.client.clientId, second.client.clientId]);
  });
});

describe('rotateSecret', () => {
  it('adds a second secret; old and new both work until the old one is removed', async () => {
    const created = await registry.createClient(BASIC);
    advance(60);
    const rotated = await registry.rotateSecret(created.client.clientId);

    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    expect(stored(created.client.clientId).secrets.map((secret) => secret.secretId)).toEqual([created.secretId, rotated.secretId]);
    expect(stored(created.client.clientId).secrets[0]?.expiresAt).toBeUndefined();
    expect(works(created.client.clientId, created.clientSecret)).toBe(true);
    expect(works(created.client.clientId, rotated.clientSecret)).toBe(true);
    expect(JSON.stringify(stored(created.client.clientId))).not.toContain(rotated.clientSecret);

    await registry.removeSecret(created.client.clientId, created.secretId);
    expect(works(created.client.clientId, created.clientSecret)).toBe(false);
    expect(works(created.client.clientId, rotated.clientSecret)).toBe(true);
  });

  it('with expiresInSeconds, lets the old secret work only until the grace period ends', async () => {
    const created = await registry.createClient(BASIC);
    const rotated = await registry.rotateSecret(created.client.clientId, { expiresInSeconds: 600 });

    expect(stored(created.client.clientId).secrets[0]?.expiresAt).toBe('2030-01-01T00:10:00.000Z');
    advance(599);
    expect(works(created.client.clientId, created.clientSecret)).toBe(true);
    advance(1);
    expect(works(created.client.clientId, created.clientSecret)).toBe(false);
    expect(works(created.client.clientId, rotated.clientSecret)).toBe(true);
  });

  it('refuses a third secret with SecretLimitReached and changes nothing', async () => {
    const created = await registry.createClient(BASIC);
    await registry.rotateSecret(created.client.clientId);
    const before = stored(created.client.clientId);

    await expect(registry.rotateSecret(created.client.clientId)).rejects.toSatisfy(
      (error) => error instanceof SecretLimitReached && /remove one first/.test(error.message),
    );
    expect(stored(created.client.clientId)).toEqual(before);
  });

  it('drops expired secrets, so they do not count against the limit', async () => {
    const created = await registry.createClient(BASIC);
    const second = await registry.rotateSecret(created.client.clientId, { expiresInSeconds: 60 });
    advance(60);
    const third = await registry.rotateSecret(created.client.clientId);

    expect(stored(created.client.clientId).secrets.map((secret) => secret.secretId)).toEqual([second.secretId, third.secretId]);
  });

  it('never lengthens an expiry that is already set', async () => {
    const created = await registry.createClient(BASIC);
    await registry.rotateSecret(created.client.clientId, { expiresInSeconds: 60 });
    await registry.removeSecret(created.client.clientId, stored(created.client.clientId).secrets[1]!.secretId);
    await registry.rotateSecret(created.client.clientId, { expiresInSeconds: 3600 });

    expect(stored(created.client.clientId).secrets[0]?.expiresAt).toBe('2030-01-01T00:01:00.000Z');
  });

  it.each([0, -1, 1.5, 366 * 86_400 + 1])('rejects a grace period of %s seconds', async (expiresInSeconds) => {
    const created = await registry.createClient(BASIC);
    await expect(registry.rotateSecret(created.client.clientId, { expiresInSeconds })).rejects.toBeInstanceOf(ValidationError);
    expect(stored(created.client.clientId).secrets).toHaveLength(1);
  });

  it('moves updatedAt forward and keeps createdAt', async () => {
    const created = await registry.createClient(BASIC);
    advance(30);
    const { client } = await registry.rotateSecret(created.client.clientId);
    expect(client.createdAt).toBe(START.toISOString());
    expect(client.updatedAt).toBe('2030-01-01T00:00:30.000Z');
    expect(stored(client.clientId)).toEqual(client);
  });

  it('reports an unknown client as ClientNotFound', async () => {
    await expect(registry.rotateSecret('missing')).rejects.toBeInstanceOf(ClientNotFound);
  });
});

describe('resetSecrets', () => {
  it('replaces every secret with one new secret; the old ones stop working at once', async () => {
    const created = await registry.createClient(BASIC);
    const rotated = await registry.rotateSecret(created.client.clientId);
    const reset = await registry.resetSecrets(created.client.clientId);

    expect(stored(created.client.clientId).secrets).toEqual([
      { secretId: reset.secretId, hash: hashClientSecret(reset.clientSecret), createdAt: START.toISOString() },
    ]);
    expect(works(created.client.clientId, created.clientSecret)).toBe(false);
    expect(works(created.client.clientId, rotated.clientSecret)).toBe(false);
    expect(works(created.client.clientId, reset.clientSecret)).toBe(true);
  });

  it('reports an unknown client as ClientNotFound', async () => {
    await expect(registry.resetSecrets('missing')).rejects.toBeInstanceOf(ClientNotFound);
  });
});

describe('removeSecret', () => {
  it('refuses to remove the last working secret, so a client is not locked out by accident', async () => {
    const created = await registry.createClient(BASIC);
    await expect(registry.removeSecret(created.client.clientId, created.secretId)).rejects.toBeInstanceOf(LastSecretProtected);
    expect(works(created.client.clientId, created.clientSecret)).toBe(true);
  });

  it('removes the last working secret when forced', async () => {
    const created = await registry.createClient(BASIC);
    const client = await registry.removeSecret(created.client.clientId, created.secretId, { force: true });
    expect(client.secrets).toEqual([]);
    expect(stored(created.client.clientId).secrets).toEqual([]);
  });

  it('counts an expired companion as no companion', async () => {
    const created = await registry.createClient(BASIC);
    const rotated = await registry.rotateSecret(created.client.clientId, { expiresInSeconds: 60 });
    advance(60);
    await expect(registry.removeSecret(created.client.clientId, rotated.secretId)).rejects.toBeInstanceOf(LastSecretProtected);
  });

  it('removes an expired secret without force, since that locks nobody out', async () => {
    const created = await registry.createClient(BASIC);
    await registry.rotateSecret(created.client.clientId, { expiresInSeconds: 60 });
    const newest = stored(created.client.clientId).secrets[1]!;
    await registry.removeSecret(created.client.clientId, newest.secretId);
    advance(60);
    const client = await registry.removeSecret(created.client.clientId, created.secretId);
    expect(client.secrets).toEqual([]);
  });

  it('reports an unknown secret id as SecretNotFound', async () => {
    const created = await registry.createClient(BASIC);
    await expect(registry.removeSecret(created.client.clientId, 'nope', { force: true })).rejects.toSatisfy(
      (error) => error instanceof SecretNotFound && error.secretId === 'nope',
    );
  });
});

describe('disableClient, enableClient and deleteClient', () => {
  it('disables and enables a client', async () => {
    const created = await registry.createClient(BASIC);
    advance(1);
    expect((await registry.disableClient(created.client.clientId)).status).toBe('disabled');
    expect(stored(created.client.clientId).status).toBe('disabled');
    advance(1);
    expect((await registry.enableClient(created.client.clientId)).status).toBe('active');
    expect(stored(created.client.clientId)).toMatchObject({ status: 'active', updatedAt: '2030-01-01T00:00:02.000Z' });
  });

  it('treats disabling a disabled client as done, without writing', async () => {
    const created = await registry.createClient(BASIC);
    await registry.disableClient(created.client.clientId);
    const update = vi.spyOn(repository, 'update');
    await registry.disableClient(created.client.clientId);
    expect(update).not.toHaveBeenCalled();
  });

  it('deletes a client; a second delete reports ClientNotFound', async () => {
    const created = await registry.createClient(BASIC);
    await registry.deleteClient(created.client.clientId);
    expect(repository.items.size).toBe(0);
    await expect(registry.deleteClient(created.client.clientId)).rejects.toBeInstanceOf(ClientNotFound);
    await expect(registry.disableClient(created.client.clientId)).rejects.toBeInstanceOf(ClientNotFound);
  });
});

describe('concurrent administration', () => {
  /** A repository where another administrator acts right before our first write lands. */
  function racedBy(competitor: () => Promise<unknown>): ClientRepository {
    let raced = false;
    return {
      ...repository,
      async update(client, expectedUpdatedAt) {
        if (!raced) {
          raced = true;
          await competitor();
        }
        return repository.update(client, expectedUpdatedAt);
      },
    };
  }

  it('re-checks the secret limit against what the other administrator stored', async () => {
    const created = await registry.createClient(BASIC);
    const other = makeClientRegistry({ repository, revocations, clock: () => now });
    const raced = makeClientRegistry({ repository: racedBy(() => other.rotateSecret(created.client.clientId)), revocations, clock: () => now });

    await expect(raced.rotateSecret(created.client.clientId)).rejects.toBeInstanceOf(SecretLimitReached);
    expect(stored(created.client.clientId).secrets).toHaveLength(2);
  });

  it('loses no update: a rotation racing a disable keeps both', async () => {
    const created = await registry.createClient(BASIC);
    const other = makeClientRegistry({ repository, revocations, clock: () => now });
    const raced = makeClientRegistry({ repository: racedBy(() => other.disableClient(created.client.clientId)), revocations, clock: () => now });

    const rotated = await raced.rotateSecret(created.client.clientId);
    expect(stored(created.client.clientId).status).toBe('disabled');
    expect(works(created.client.clientId, rotated.clientSecret)).toBe(true);
  });

  it('gives up with ConcurrentModification when every attempt loses', async () => {
    const created = await registry.createClient(BASIC);
    const update = vi.fn(async (client: RegisteredClient) => {
      throw new ConcurrentModification(client.clientId);
    });
    const losing = makeClientRegistry({ repository: { ...repository, update }, revocations, clock: () => now });

    await expect(losing.disableClient(created.client.clientId)).rejects.toBeInstanceOf(ConcurrentModification);
    expect(update).toHaveBeenCalledTimes(3);
  });

  it('moves updatedAt forward even when writes share a millisecond', async () => {
    const created = await registry.createClient(BASIC);
    await registry.disableClient(created.client.clientId);
    await registry.enableClient(created.client.clientId);
    expect(stored(created.client.clientId).updatedAt).toBe('2030-01-01T00:00:00.002Z');
  });
});
