import * as z from 'zod/mini';
import { commaList, nonEmpty, nonNegativeInt, optionalUrl } from '#shared/config/env-types.js';
import { parseEnv } from '#shared/config/parse-env.js';

/** The revocation (RFC 7009) and introspection (RFC 7662) functions' environment. */
export const lifecycleEnv = z.pipe(
  z.object({
    CLIENTS_TABLE: nonEmpty,
    REVOCATIONS_TABLE: nonEmpty,
    CLIENT_ASSERTIONS_TABLE: nonEmpty,
    CLOCK_SKEW_SECONDS: z.pipe(nonNegativeInt(30), z.number().check(z.lte(300))),
    VERIFY_KEY_IDS: z.pipe(commaList, z.array(z.string()).check(z.minLength(1, 'at least one KMS key ARN'))),
    ISSUER: optionalUrl,
    // Set by Lambda in every function (and by the local runtime); only the derived issuer needs it.
    AWS_REGION: z.optional(z.string()),
  }),
  z.transform((env) => ({
    clientsTable: env.CLIENTS_TABLE,
    revocationsTable: env.REVOCATIONS_TABLE,
    clientAssertionsTable: env.CLIENT_ASSERTIONS_TABLE,
    clockSkewSeconds: env.CLOCK_SKEW_SECONDS,
    verifyKeyIds: env.VERIFY_KEY_IDS,
    issuer: env.ISSUER,
    region: env.AWS_REGION || undefined,
  })),
);

export type LifecycleConfig = z.output<typeof lifecycleEnv>;

/** Throws ConfigurationError naming every bad variable: a bad environment fails the init. */
export function loadLifecycleConfig(env: Record<string, string | undefined> = process.env): LifecycleConfig {
  return parseEnv(lifecycleEnv, env);
}
