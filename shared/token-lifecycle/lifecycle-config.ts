import { commaList, integer, nonEmpty, optionalNonEmpty, optionalUrl } from '#shared/config/env-types.js';
import { envSchema, parseEnv, type EnvOutput } from '#shared/config/parse-env.js';

/** The revocation (RFC 7009) and introspection (RFC 7662) functions' environment. */
export const lifecycleEnv = envSchema(
  {
    CLIENTS_TABLE: nonEmpty(),
    REVOCATIONS_TABLE: nonEmpty(),
    CLIENT_ASSERTIONS_TABLE: nonEmpty(),
    CLOCK_SKEW_SECONDS: integer({ min: 0, max: 300, fallback: 30 }),
    VERIFY_KEY_IDS: commaList({ min: 1, what: 'at least one KMS key ARN' }),
    ISSUER: optionalUrl,
    // Set by Lambda in every function (and by the local runtime); only the derived issuer needs it.
    AWS_REGION: optionalNonEmpty,
  },
  (env) => ({
    clientsTable: env.CLIENTS_TABLE,
    revocationsTable: env.REVOCATIONS_TABLE,
    clientAssertionsTable: env.CLIENT_ASSERTIONS_TABLE,
    clockSkewSeconds: env.CLOCK_SKEW_SECONDS,
    verifyKeyIds: env.VERIFY_KEY_IDS,
    issuer: env.ISSUER,
    region: env.AWS_REGION,
  }),
);

export type LifecycleConfig = EnvOutput<typeof lifecycleEnv>;

/** Throws ConfigurationError naming every bad variable: a bad environment fails the init. */
export function loadLifecycleConfig(env: Record<string, string | undefined> = process.env): LifecycleConfig {
  return parseEnv(lifecycleEnv, env);
}
