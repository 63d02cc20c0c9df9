import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ClientNotFound } from '#shared/clients/client-registry-errors.js';
import { untilNewTokensWork, type ClientRegistry } from '#shared/clients/client-registry.js';
import { resolveClientSettings, type ClientDefaults, type NewClient } from '#shared/clients/client-settings.js';
import { usesPrivateKeyJwt, type RegisteredClient } from '#shared/clients/registered-client.js';
import { derivedKid } from '../clients/client-assertion.js';

/**
 * The three clients the collection signs in with. Their ids are fixed so a re-run finds them again; their
 * scopes are what the collection's assertions expect (the read+write client is refused DELETE, the
 * read-only client is refused POST, the admin client may delete).
 */
export const POSTMAN_CLIENTS = {
  readWrite: { clientId: 'postman-rw', name: 'postman (read-write)', scopes: ['products:read', 'products:write'] },
  readOnly: { clientId: 'postman-ro', name: 'postman (read-only)', scopes: ['products:read'] },
  // Also the resource server of the collection's introspection requests.
  admin: { clientId: 'postman-admin', name: 'postman (admin)', scopes: ['products:read', 'products:write', 'products:delete'], canIntrospect: true },
} as const satisfies Record<string, NewClient & { clientId: string }>;

export type PostmanClientRole = keyof typeof POSTMAN_CLIENTS;

export interface PostmanCredential {
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  /** `created` the first time (or when the stored client no longer matched), `reset` when only its secret changed. */
  outcome: 'created' | 'reset';
}

export type PostmanCredentials = Record<PostmanClientRole, PostmanCredential>;

/**
 * Secrets are stored only as hashes and shown once, so an existing client cannot hand its secret back:
 * it gets a new one instead (earlier environments stop working). A client whose settings no longer match
 * (disabled, other scopes or audience) is replaced, so the collection's expectations hold.
 */
export async function issuePostmanCredentials(registry: ClientRegistry, defaults: ClientDefaults): Promise<PostmanCredentials> {
  const entries = await Promise.all(
    (Object.keys(POSTMAN_CLIENTS) as PostmanClientRole[]).map(async (role) => [role, await issue(registry, POSTMAN_CLIENTS[role], defaults)] as const),
  );
  return Object.fromEntries(entries) as PostmanCredentials;
}

async function issue(registry: ClientRegistry, spec: NewClient & { clientId: string }, defaults: ClientDefaults): Promise<PostmanCredential> {
  const existing = await find(registry, spec.clientId);
  if (existing !== undefined && matches(existing, spec, defaults)) {
    const { clientSecret } = await registry.resetSecrets(spec.clientId);
    return { clientId: spec.clientId, clientSecret, scopes: spec.scopes, outcome: 'reset' };
  }
  if (existing !== undefined) await registry.deleteClient(spec.clientId);
  const { clientSecret } = await registry.createClient(spec);
  if (existing !== undefined) await untilNewTokensWork();
  return { clientId: spec.clientId, clientSecret, scopes: spec.scopes, outcome: 'created' };
}

async function find(registry: ClientRegistry, clientId: string): Promise<RegisteredClient | undefined> {
  try {
    return await registry.getClient(clientId);
  } catch (error) {
    if (error instanceof ClientNotFound) return undefined;
    throw error;
  }
}

/** The client the collection's private_key_jwt request signs in as: no secret, one P-256 key. */
export const POSTMAN_KEY_CLIENT = { clientId: 'postman-key', name: 'postman (private_key_jwt)', scopes: ['products:read'] } as const;

export interface PostmanKeyCredential {
  clientId: string;
  privateKey: KeyObject;
  kid: string;
  /** `created` the first time (or when the stored client no longer matched), `new key` when only its key changed. */
  outcome: 'created' | 'new key';
}

/**
 * Like the secrets, the key is new on every run and only its public half is registered: assertions made
 * with an earlier key stop working. The private key goes back to the caller, which writes it where the
 * `assertion` command can read it.
 */
export async function issuePostmanKeyClient(registry: ClientRegistry, defaults: ClientDefaults): Promise<PostmanKeyCredential> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = derivedKid(publicKey);
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] };
  const spec = { ...POSTMAN_KEY_CLIENT, authMethod: 'private_key_jwt' as const, jwks };
  const existing = await find(registry, spec.clientId);
  if (existing !== undefined && usesPrivateKeyJwt(existing) && matches(existing, spec, defaults)) {
    await registry.setKeys(spec.clientId, jwks);
    return { clientId: spec.clientId, privateKey, kid, outcome: 'new key' };
  }
  if (existing !== undefined) await registry.deleteClient(spec.clientId);
  await registry.createKeyClient(spec);
  return { clientId: spec.clientId, privateKey, kid, outcome: 'created' };
}

function matches(client: RegisteredClient, spec: NewClient, defaults: ClientDefaults): boolean {
  const wanted = resolveClientSettings(spec, defaults);
  return (
    client.status === 'active' &&
    usesPrivateKeyJwt(client) === (wanted.authMethod === 'private_key_jwt') &&
    sameSet(client.allowedScopes, wanted.allowedScopes) &&
    sameSet(client.defaultScopes, wanted.defaultScopes) &&
    sameSet(client.allowedAudiences, wanted.allowedAudiences) &&
    client.defaultAudience === wanted.defaultAudience &&
    (client.canIntrospect === true) === wanted.canIntrospect
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}
