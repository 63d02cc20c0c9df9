import { z } from 'zod';
import { nonEmpty, nonNegativeInt } from '#shared/config/env-types.js';

export const productsEnv = z.object({
  PRODUCTS_TABLE: nonEmpty,
  /** Same meaning and default as the authorizer's: tolerance on the token's exp. */
  CLOCK_SKEW_SECONDS: nonNegativeInt(30).pipe(z.number().max(300)),
});
