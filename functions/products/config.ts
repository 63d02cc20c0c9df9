import { integer, nonEmpty } from '#shared/config/env-types.js';
import { envSchema } from '#shared/config/parse-env.js';

export const productsEnv = envSchema({
  PRODUCTS_TABLE: nonEmpty(),
  /** Same meaning and default as the authorizer's: tolerance on the token's exp. */
  CLOCK_SKEW_SECONDS: integer({ min: 0, max: 300, fallback: 30 }),
});
