import { authMethodOf, type AuthMethod, type ClientStatus, type RegisteredClient, type StoredSecret } from './registered-client.js';
import { isExpired } from './secret-expiry.js';

export interface PublicSecretView {
  secretId: string;
  createdAt: string;
  expiresAt?: string;
  expired: boolean;
}

/** A client as administrators may see it: everything except secret hashes. */
export interface PublicClientView {
  clientId: string;
  name: string;
  status: ClientStatus;
  allowedScopes: string[];
  defaultScopes: string[];
  allowedAudiences: string[];
  defaultAudience: string;
  tokenLifetimeSeconds: number;
  /** May call the introspection endpoint (RFC 7662). */
  canIntrospect: boolean;
  secrets: PublicSecretView[];
  authMethod: AuthMethod;
  /** private_key_jwt clients: the kid and type of each registered public key. */
  keys?: { kid: string; kty: string; alg?: string }[];
  claims: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/**
 * Built field by field rather than by deleting `hash`, so a field added to the stored model later is
 * hidden until someone decides it may be shown.
 */
export function toPublicView(client: RegisteredClient, now: Date = new Date()): PublicClientView {
  return {
    clientId: client.clientId,
    name: client.name,
    status: client.status,
    allowedScopes: [...client.allowedScopes],
    defaultScopes: [...client.defaultScopes],
    allowedAudiences: [...client.allowedAudiences],
    defaultAudience: client.defaultAudience,
    tokenLifetimeSeconds: client.tokenLifetimeSeconds,
    canIntrospect: client.canIntrospect === true,
    secrets: client.secrets.map((secret) => toPublicSecret(secret, now)),
    authMethod: authMethodOf(client),
    ...(client.jwks === undefined
      ? {}
      : { keys: client.jwks.map(({ kid, kty, alg }) => ({ kid, kty, ...(alg === undefined ? {} : { alg }) })) }),
    claims: { ...client.claims },
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
  };
}

function toPublicSecret(secret: StoredSecret, now: Date): PublicSecretView {
  return {
    secretId: secret.secretId,
    createdAt: secret.createdAt,
    ...(secret.expiresAt === undefined ? {} : { expiresAt: secret.expiresAt }),
    expired: isExpired(secret, now),
  };
}
