import { commaList, integer, nonEmpty, optionalUrl } from '#shared/config/env-types.js';
import { envSchema, type EnvOutput } from '#shared/config/parse-env.js';

export const authorizerEnv = envSchema({
  AUDIENCE: nonEmpty(),
  CLOCK_SKEW_SECONDS: integer({ min: 0, max: 300, fallback: 30 }),
  VERIFY_KEY_IDS: commaList({ min: 1, what: 'at least one KMS key ARN' }),
  ISSUER: optionalUrl,
  REVOCATIONS_TABLE: nonEmpty(),
});

export type AuthorizerConfig = EnvOutput<typeof authorizerEnv>;
