import { describe, expect, it } from 'vitest';
import { parsePublicJwks, type StoredJwk } from '#shared/clients/client-keys.js';
import { readRegisteredClient, type RegisteredClient } from '#shared/clients/registered-client.js';
import { clientKeyPair, jwksOf } from '../support/client-assertions.js';
import { sampleClient } from './sample-client.js';

const read = (item: unknown) => readRegisteredClient(item);
const wrongOf = (item: unknown) => {
  const result = read(item);
  return 'wrong' in result ? result.wrong : [];
};

function storedKeys(): StoredJwk[] {
  const parsed = parsePublicJwks(jwksOf(clientKeyPair('RS256', 'rsa-1'), clientKeyPair('ES256', 'ec-1')));
  if (!('keys' in parsed)) throw new Error(parsed.problems.join('; '));
  return parsed.keys;
}

describe('reading a clients-table item', () => {
  it('returns a full item as it was written, with real public keys and claims', () => {
    const client: RegisteredClient = sampleClient({
      canIntrospect: true,
      authMethod: 'private_key_jwt',
      secrets: [],
      jwks: storedKeys(),
      claims: { tenant: 'acme' },
    });
    expect(read(client)).toEqual({ client });
  });

  it('drops attributes it does not know, at every level, and adds no absent optional one', () => {
    const client = sampleClient();
    const item = { ...client, legacyFlag: true, secrets: [{ ...client.secrets[0]!, note: 'x' }] };
    const result = read(item);
    expect(result).toEqual({ client });
    expect(Object.keys('client' in result ? result.client : {})).not.toContain('canIntrospect');
    expect(Object.keys('client' in result ? result.client.secrets[0]! : {})).not.toContain('note');
  });

  it('keeps an expiring secret and an old item without authMethod', () => {
    const secrets = [
      { secretId: 'a', hash: 'sha256:A', createdAt: '2030-01-01T00:00:00Z', expiresAt: '2030-01-02T00:00:00.5Z' },
      { secretId: 'b', hash: 'sha256:B', createdAt: '2030-01-01T00:00:00.000Z' },
    ];
    expect(read(sampleClient({ secrets }))).toMatchObject({ client: { secrets } });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an empty clientId', { clientId: '' }, ['clientId']],
    ['an unknown status', { status: 'suspended' }, ['status']],
    ['scopes that are not a list of strings', { allowedScopes: 'products:read', defaultScopes: [1] }, ['allowedScopes', 'defaultScopes']],
    ['no audience', { allowedAudiences: [] }, ['allowedAudiences']],
    ['a fractional lifetime', { tokenLifetimeSeconds: 1.5 }, ['tokenLifetimeSeconds']],
    ['a zero lifetime', { tokenLifetimeSeconds: 0 }, ['tokenLifetimeSeconds']],
    ['a lifetime as text', { tokenLifetimeSeconds: '3600' }, ['tokenLifetimeSeconds']],
    ['a date that is not RFC 3339 UTC', { createdAt: '2030-01-01 00:00:00', updatedAt: '2030-13-01T00:00:00Z' }, ['createdAt', 'updatedAt']],
    ['a date with an offset', { updatedAt: '2030-01-01T00:00:00+02:00' }, ['updatedAt']],
    ['canIntrospect as text', { canIntrospect: 'yes' }, ['canIntrospect']],
    ['an unknown auth method', { authMethod: 'client_secret_jwt' }, ['authMethod']],
    ['a claim that is not a string', { claims: { tier: 3 } }, ['claims']],
    ['secrets that are not a list', { secrets: 'not-a-list' }, ['secrets']],
    ['three secrets', { secrets: [1, 2, 3].map((n) => ({ secretId: `s${n}`, hash: 'h', createdAt: '2030-01-01T00:00:00Z' })) }, ['secrets']],
    ['a secret without a hash and with a bad expiry', { secrets: [{ secretId: 's', hash: '', createdAt: '2030-01-01T00:00:00Z', expiresAt: 'tomorrow' }] }, ['secrets.0.hash', 'secrets.0.expiresAt']],
    ['a secret that is not an object', { secrets: ['sha256:A'] }, ['secrets.0']],
    ['a key of an unknown type', { jwks: [{ kid: 'k', kty: 'oct', k: 'c2VjcmV0' }] }, ['jwks.0.kty']],
    ['an RSA key without n and with a foreign alg', { jwks: [{ kid: 'k', kty: 'RSA', e: 'AQAB', alg: 'ES256' }] }, ['jwks.0.n', 'jwks.0.alg']],
    ['an EC key on another curve', { jwks: [{ kid: 'k', kty: 'EC', crv: 'P-384', x: 'x', y: 'y' }] }, ['jwks.0.crv']],
    ['keys that are not a list', { jwks: { keys: [] } }, ['jwks']],
  ])('reports %s by attribute path', (_case, override, paths) => {
    expect(wrongOf({ ...sampleClient(), ...override })).toEqual(paths);
  });

  it('reports a missing attribute by name and every wrong one at once', () => {
    const { name: _name, defaultAudience: _audience, ...rest } = sampleClient();
    expect(wrongOf({ ...rest, status: 'gone' })).toEqual(['name', 'status', 'defaultAudience']);
  });

  it('refuses what is not an item at all, naming no value', () => {
    for (const item of [undefined, null, 'client', ['client'], 42]) expect(read(item)).toEqual({ wrong: ['(item)'] });
    const withSecretValue = { ...sampleClient(), secrets: [{ secretId: 's', hash: 42, createdAt: '2030-01-01T00:00:00Z' }] };
    expect(JSON.stringify(read(withSecretValue))).not.toContain('42');
  });
});
