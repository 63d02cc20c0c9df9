import { generateClientId, generateClientSecret, generateSecretId, hashClientSecret } from './client-secrets.js';
import {
  ClientNotFound,
  ConcurrentModification,
  LastSecretProtected,
  SecretLimitReached,
  SecretNotFound,
  ValidationError,
  WrongAuthMethod,
} from './client-registry-errors.js';
import type { ClientRepository } from './client-repository.js';
import {
  resolveClientSettings,
  validateClientClaims,
  validateJwks,
  validateSecretGrace,
  type ClientDefaults,
  type NewClient,
} from './client-settings.js';
import { authMethodOf, MAX_SECRETS_PER_CLIENT, usesPrivateKeyJwt, type RegisteredClient, type StoredSecret } from './registered-client.js';
import { isExpired } from './secret-expiry.js';
import type { RevocationRecorder } from '../revocation/revocation-store.js';

/** A secret in plaintext, handed out once; only its hash is stored. */
export interface IssuedSecret {
  client: RegisteredClient;
  clientSecret: string;
  secretId: string;
}

export interface ClientRegistry {
  /** A client that authenticates with a secret (client_secret_basic / client_secret_post). */
  createClient(input: NewClient): Promise<IssuedSecret>;
  /** A private_key_jwt client (RFC 7523 §2.2): no secret is made, only its public keys are stored. */
  createKeyClient(input: NewClient & { jwks: unknown }): Promise<RegisteredClient>;
  /** All clients, oldest first. */
  listClients(): Promise<RegisteredClient[]>;
  getClient(clientId: string): Promise<RegisteredClient>;
  /**
   * Adds a secret beside the current one, which keeps working until removed or, with `expiresInSeconds`,
   * until that grace period ends. Expired secrets are dropped first; two live secrets are the limit.
   */
  rotateSecret(clientId: string, options?: { expiresInSeconds?: number }): Promise<IssuedSecret>;
  /** Replaces every secret with one new secret; the old ones stop working at once. */
  resetSecrets(clientId: string): Promise<IssuedSecret>;
  /** Refuses to leave the client without a working secret unless `force` is set. */
  removeSecret(clientId: string, secretId: string, options?: { force?: boolean }): Promise<RegisteredClient>;
  /** Also revokes every token issued so far (idempotent otherwise: disabling a disabled client changes nothing). */
  disableClient(clientId: string): Promise<RegisteredClient>;
  /** Lets the client get new tokens; tokens revoked while it was disabled stay revoked. */
  enableClient(clientId: string): Promise<RegisteredClient>;
  /** Revokes every token issued so far, then deletes the client. */
  deleteClient(clientId: string): Promise<void>;
  /**
   * Replaces a private_key_jwt client's public keys. Rotation without a gap: publish old + new, switch the
   * signer to the new key, then publish the new key alone.
   */
  setKeys(clientId: string, jwks: unknown): Promise<RegisteredClient>;
  /** Replaces the fixed claims of the client's tokens; an empty set removes them all. */
  setClaims(clientId: string, claims: Readonly<Record<string, string>>): Promise<RegisteredClient>;
  /** Revokes every token issued to the client so far; it stays active and can get new ones. */
  revokeTokens(clientId: string): Promise<{ issuedUpTo: Date }>;
}

export interface ClientRegistryDeps {
  repository: ClientRepository;
  /** Where clients' token cut-offs go (the revocation table the authorizer reads). */
  revocations: Pick<RevocationRecorder, 'revokeClientTokens'>;
  defaults?: ClientDefaults;
  clock?: () => Date;
}

/** Read-modify-write attempts before a lost race is reported instead of retried. */
const MAX_ATTEMPTS = 3;

/**
 * The token endpoint reads clients with eventually consistent reads, so for about a second after `disable` a
 * token can still be issued to the client (shared/clients/dynamo-client-store.ts); the cut-off of a disabled
 * or deleted client reaches that far ahead so such a token is refused too.
 */
export const STALE_READ_MARGIN_SECONDS = 2;

/**
 * A client deleted and created again under the same id inherits the cut-off (its old tokens stay revoked),
 * so its first new token must be issued after it: callers that recreate a client wait this long first.
 */
export function untilNewTokensWork(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, (STALE_READ_MARGIN_SECONDS + 1) * 1000));
}

export function makeClientRegistry({ repository, revocations, defaults = {}, clock = () => new Date() }: ClientRegistryDeps): ClientRegistry {
  async function getClient(clientId: string): Promise<RegisteredClient> {
    const client = await repository.get(clientId);
    if (client === undefined) throw new ClientNotFound(clientId);
    return client;
  }

  /**
   * Applies `change` to the stored client under optimistic concurrency. On a lost race the change is
   * re-applied to the fresh state, so its checks (secret limit, last secret) see what is really stored.
   */
  async function modify(clientId: string, change: (client: RegisteredClient, now: Date) => RegisteredClient): Promise<RegisteredClient> {
    for (let attempt = 1; ; attempt++) {
      const current = await getClient(clientId);
      const now = clock();
      const changed = change(current, now);
      if (changed === current) return current;
      const updated = { ...changed, updatedAt: laterThan(current.updatedAt, now) };
      try {
        await repository.update(updated, current.updatedAt);
        return updated;
      } catch (error) {
        if (!(error instanceof ConcurrentModification) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async function issueSecret(
    clientId: string,
    place: (client: RegisteredClient, fresh: StoredSecret, now: Date) => StoredSecret[],
  ): Promise<IssuedSecret> {
    const { clientSecret, stored } = newSecret(clock());
    const client = await modify(clientId, (current, now) => {
      refuseKeyClient(current);
      return { ...current, secrets: place(current, { ...stored, createdAt: now.toISOString() }, now) };
    });
    return { client, clientSecret, secretId: stored.secretId };
  }

  function setStatus(clientId: string, status: RegisteredClient['status']): Promise<RegisteredClient> {
    return modify(clientId, (current) => (current.status === status ? current : { ...current, status }));
  }

  return {
    async createClient(input) {
      if (input.authMethod === 'private_key_jwt') throw new ValidationError(['authMethod: a private_key_jwt client is created with its keys, not a secret']);
      const { clientId = generateClientId(), ...settings } = resolveClientSettings(input, defaults);
      const now = clock();
      const { clientSecret, stored } = newSecret(now);
      const client: RegisteredClient = {
        clientId,
        ...settings,
        status: 'active',
        secrets: [stored],
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await repository.create(client);
      return { client, clientSecret, secretId: stored.secretId };
    },

    async createKeyClient(input) {
      const { clientId = generateClientId(), ...settings } = resolveClientSettings({ ...input, authMethod: 'private_key_jwt' }, defaults);
      const now = clock();
      const client: RegisteredClient = {
        clientId,
        ...settings,
        status: 'active',
        secrets: [],
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      await repository.create(client);
      return client;
    },

    async listClients() {
      const clients: RegisteredClient[] = [];
      for await (const client of repository.list()) clients.push(client);
      return clients.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.clientId.localeCompare(b.clientId));
    },

    getClient,

    async rotateSecret(clientId, options = {}) {
      const graceSeconds = validateSecretGrace(options);
      return issueSecret(clientId, (current, fresh, now) => {
        const live = current.secrets.filter((secret) => !isExpired(secret, now));
        if (live.length >= MAX_SECRETS_PER_CLIENT) throw new SecretLimitReached(clientId, MAX_SECRETS_PER_CLIENT);
        const graceEnd = graceSeconds === undefined ? undefined : new Date(now.getTime() + graceSeconds * 1000);
        return [...live.map((secret) => expiringBy(secret, graceEnd)), fresh];
      });
    },

    resetSecrets(clientId) {
      return issueSecret(clientId, (_current, fresh) => [fresh]);
    },

    removeSecret(clientId, secretId, { force = false } = {}) {
      return modify(clientId, (current, now) => {
        refuseKeyClient(current);
        const removed = current.secrets.find((secret) => secret.secretId === secretId);
        if (removed === undefined) throw new SecretNotFound(clientId, secretId);
        const remaining = current.secrets.filter((secret) => secret !== removed);
        // Removing an already expired secret locks nobody out, so it never needs force.
        const locksOut = !isExpired(removed, now) && remaining.every((secret) => isExpired(secret, now));
        if (locksOut && !force) throw new LastSecretProtected(clientId, secretId);
        return { ...current, secrets: remaining };
      });
    },

    // Tokens are cut off before the status changes, so a failure in between leaves tokens refused, never
    // a disabled client whose tokens still work.
    async disableClient(clientId) {
      await getClient(clientId);
      await revocations.revokeClientTokens(clientId, wholeSeconds(clock()) + STALE_READ_MARGIN_SECONDS);
      return setStatus(clientId, 'disabled');
    },
    enableClient: (clientId) => setStatus(clientId, 'active'),

    async deleteClient(clientId) {
      await getClient(clientId);
      await revocations.revokeClientTokens(clientId, wholeSeconds(clock()) + STALE_READ_MARGIN_SECONDS);
      return repository.delete(clientId);
    },

    setKeys(clientId, jwks) {
      const keys = validateJwks(jwks);
      return modify(clientId, (current) => {
        if (!usesPrivateKeyJwt(current)) throw new WrongAuthMethod(clientId, authMethodOf(current), 'keys');
        return { ...current, jwks: keys };
      });
    },

    setClaims(clientId, claims) {
      const checked = validateClientClaims(claims);
      return modify(clientId, (current) => {
        const { claims: _previous, ...rest } = current;
        return Object.keys(checked).length === 0 ? rest : { ...rest, claims: checked };
      });
    },

    async revokeTokens(clientId) {
      await getClient(clientId);
      // Tokens are stamped with whole seconds (iat), so the cut-off covers every token of this second too.
      const issuedUpTo = wholeSeconds(clock());
      await revocations.revokeClientTokens(clientId, issuedUpTo);
      return { issuedUpTo: new Date(issuedUpTo * 1000) };
    },
  };
}

function refuseKeyClient(client: RegisteredClient): void {
  if (usesPrivateKeyJwt(client)) throw new WrongAuthMethod(client.clientId, 'private_key_jwt', 'secrets');
}

function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function newSecret(now: Date): { clientSecret: string; stored: StoredSecret } {
  const clientSecret = generateClientSecret();
  return {
    clientSecret,
    stored: { secretId: generateSecretId(), hash: hashClientSecret(clientSecret), createdAt: now.toISOString() },
  };
}

/** A grace period only ever shortens a secret's life; an earlier expiry already set is kept. */
function expiringBy(secret: StoredSecret, end: Date | undefined): StoredSecret {
  if (end === undefined) return secret;
  if (secret.expiresAt !== undefined && Date.parse(secret.expiresAt) <= end.getTime()) return secret;
  return { ...secret, expiresAt: end.toISOString() };
}

/**
 * updatedAt is the concurrency token, so every write must move it forward, even when two writes fall in
 * the same millisecond or the clock stepped back.
 */
function laterThan(previous: string, now: Date): string {
  return new Date(Math.max(now.getTime(), Date.parse(previous) + 1)).toISOString();
}
