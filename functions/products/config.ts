import * as z from 'zod/mini';
import { nonEmpty, nonNegativeInt } from '#shared/config/env-types.js';

export const productsEnv = z.object({
  PRODUCTS_TABLE: nonEmpty,
  /** Same meaning and default as the authorizer's: tolerance on the token's exp. */
  CLOCK_SKEW_SECONDS: z.pipe(nonNegativeInt(30), z.number().check(z.lte(300))),
});
