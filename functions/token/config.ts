import { integer, nonEmpty, optionalNonEmpty, optionalUrl } from '#shared/config/env-types.js';
import { envSchema, parseEnv, type EnvOutput } from '#shared/config/parse-env.js';

/**
 * A key ARN or a bare key id. Aliases are refused: the kid is read once per container, so signing
 * through an alias that rotation later moves would put the old key's kid on the new key's signatures.
 */
const KMS_KEY = /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+|(?:mrk-)?[A-Za-z0-9-]+)$/;

export const tokenEnv = envSchema(
  {
    CLIENTS_TABLE: nonEmpty(),
    SIGNING_KEY_ID: nonEmpty({ regex: KMS_KEY, message: 'must be a KMS key ARN or key id (not an alias)' }),
    // Bounded like the template's MaxTokenLifetimeSeconds parameter.
    MAX_TOKEN_LIFETIME_SECONDS: integer({ min: 60, max: 86_400, fallback: 86_400 }),
    ISSUER: optionalUrl,
    // Where private_key_jwt assertions' jti are recorded (RFC 7523 §3 item 7); without it every assertion
    // is refused, since none could be held to single use.
    CLIENT_ASSERTIONS_TABLE: optionalNonEmpty,
    // The template's ClockSkewSeconds: tolerance on an assertion's exp, nbf and iat.
    CLOCK_SKEW_SECONDS: integer({ min: 0, max: 300, fallback: 30 }),
    // Set by Lambda in every function (and by the local runtime); only the derived issuer needs it.
    AWS_REGION: optionalNonEmpty,
  },
  (env) => ({
    clientsTable: env.CLIENTS_TABLE,
    signingKeyId: env.SIGNING_KEY_ID,
    maxTokenLifetimeSeconds: env.MAX_TOKEN_LIFETIME_SECONDS,
    /** Undefined: derived from each request's API id and stage and from the region (shared/oauth/issuer.ts). */
    issuer: env.ISSUER,
    clientAssertionsTable: env.CLIENT_ASSERTIONS_TABLE,
    clockSkewSeconds: env.CLOCK_SKEW_SECONDS,
    region: env.AWS_REGION,
  }),
);

export type TokenConfig = EnvOutput<typeof tokenEnv>;

/** Throws ConfigurationError naming every bad variable. */
export function loadTokenConfig(env: Record<string, string | undefined> = process.env): TokenConfig {
  return parseEnv(tokenEnv, env);
}
