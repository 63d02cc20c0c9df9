import { z } from 'zod';

/** A secret as stored: only its hash, never the secret itself. */
export const storedSecretSchema = z.object({
  secretId: z.string().min(1),
  hash: z.string().min(1),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().optional(),
});
export type StoredSecret = z.infer<typeof storedSecretSchema>;

/** At most two secrets at once: the current one and the one being rotated out. */
export const MAX_SECRETS_PER_CLIENT = 2;

export const clientStatusSchema = z.enum(['active', 'disabled']);
export type ClientStatus = z.infer<typeof clientStatusSchema>;

/** The clients-table item, validated whenever it is read so a corrupt row fails closed. */
export const registeredClientSchema = z.object({
  clientId: z.string().min(1),
  name: z.string().min(1),
  status: clientStatusSchema,
  allowedScopes: z.array(z.string()),
  defaultScopes: z.array(z.string()),
  allowedAudiences: z.array(z.string()).min(1),
  defaultAudience: z.string().min(1),
  tokenLifetimeSeconds: z.number().int().positive(),
  secrets: z.array(storedSecretSchema).max(MAX_SECRETS_PER_CLIENT),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RegisteredClient = z.infer<typeof registeredClientSchema>;
