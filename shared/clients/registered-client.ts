import * as z from 'zod/mini';

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
});
export type RegisteredClient = z.output<typeof registeredClientSchema>;
