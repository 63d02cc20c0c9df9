import { z } from 'zod';
import { commaList, nonEmpty, nonNegativeInt, optionalUrl } from '#shared/config/env-types.js';

export const authorizerEnv = z.object({
  AUDIENCE: nonEmpty,
  CLOCK_SKEW_SECONDS: nonNegativeInt(30).pipe(z.number().max(300)),
  VERIFY_KEY_IDS: commaList.pipe(z.array(z.string()).min(1, 'at least one KMS key ARN')),
  ISSUER: optionalUrl,
});

export type AuthorizerConfig = z.infer<typeof authorizerEnv>;
