import * as z from 'zod/mini';
import { commaList, nonEmpty, nonNegativeInt, optionalUrl } from '#shared/config/env-types.js';

export const authorizerEnv = z.object({
  AUDIENCE: nonEmpty,
  CLOCK_SKEW_SECONDS: z.pipe(nonNegativeInt(30), z.number().check(z.lte(300))),
  VERIFY_KEY_IDS: z.pipe(commaList, z.array(z.string()).check(z.minLength(1, 'at least one KMS key ARN'))),
  ISSUER: optionalUrl,
  REVOCATIONS_TABLE: nonEmpty,
});

export type AuthorizerConfig = z.output<typeof authorizerEnv>;
