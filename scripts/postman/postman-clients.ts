import { ClientNotFound } from '#shared/clients/client-registry-errors.js';
import { untilNewTokensWork, type ClientRegistry } from '#shared/clients/client-registry.js';
import { resolveClientSettings, type ClientDefaults, type NewClient } from '#shared/clients/client-settings.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';

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

function matches(client: RegisteredClient, spec: NewClient, defaults: ClientDefaults): boolean {
  const wanted = resolveClientSettings(spec, defaults);
  return (
    client.status === 'active' &&
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
