import * as z from 'zod/mini';
import { storedJwkSchema } from './client-keys.js';

/** A secret as stored: only its hash, never the secret itself. */
export const storedSecretSchema = z.object({
  secretId: z.string().check(z.minLength(1)),
  hash: z.string().check(z.minLength(1)),
  createdAt: z.iso.datetime(),
  expiresAt: z.optional(z.iso.datetime()),
});
export type StoredSecret = z.output<typeof storedSecretSchema>;

/** At most two secrets at once: the current one and the one being rotated out. */
export const MAX_SECRETS_PER_CLIENT = 2;

export const clientStatusSchema = z.enum(['active', 'disabled']);
export type ClientStatus = z.output<typeof clientStatusSchema>;

/**
 * How a client proves who it is at the token endpoint (OIDC Dynamic Client Registration
 * `token_endpoint_auth_method`). The two secret methods are one family: a secret client may send its
 * secret in the Basic header or in the body, as RFC 6749 §2.3.1 lets every client. private_key_jwt clients
 * (RFC 7523 §2.2) have no secret at all, and a secret never authenticates them, nor an assertion a secret client.
 */
export const authMethodSchema = z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
export type AuthMethod = z.output<typeof authMethodSchema>;

/** The clients-table item, validated whenever it is read so a corrupt row fails closed. */
export const registeredClientSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  status: clientStatusSchema,
  allowedScopes: z.array(z.string()),
  defaultScopes: z.array(z.string()),
  allowedAudiences: z.array(z.string()).check(z.minLength(1)),
  defaultAudience: z.string().check(z.minLength(1)),
  tokenLifetimeSeconds: z.number().check(z.int(), z.positive()),
  // Absent on items written before introspection existed: they may not introspect.
  canIntrospect: z.optional(z.boolean()),
  secrets: z.array(storedSecretSchema).check(z.maxLength(MAX_SECRETS_PER_CLIENT)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Absent on items written before clients could choose: client_secret_basic. */
  authMethod: z.optional(authMethodSchema),
  /** private_key_jwt only: the public keys its assertions may be signed with. */
  jwks: z.optional(z.array(storedJwkSchema)),
  /** Fixed claims added to every access token of the client (client-claims.ts). */
  claims: z.optional(z.record(z.string(), z.string())),
});
export type RegisteredClient = z.output<typeof registeredClientSchema>;

export function authMethodOf(client: Pick<RegisteredClient, 'authMethod'>): AuthMethod {
  return client.authMethod ?? 'client_secret_basic';
}

export function usesPrivateKeyJwt(client: Pick<RegisteredClient, 'authMethod'>): boolean {
  return client.authMethod === 'private_key_jwt';
}
