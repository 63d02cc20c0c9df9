import * as z from 'zod/mini';
import { commaList, optionalUrl } from '#shared/config/env-types.js';
import { parseScope } from '#shared/oauth/scope.js';

export const discoveryEnv = z.object({
  /** Space-delimited (RFC 6749 §3.3), as RFC 8414 scopes_supported lists them. */
  SCOPES_SUPPORTED: z.pipe(
    z.string().check(
      z.trim(),
      z.refine((value) => parseScope(value) !== undefined, 'must be space-delimited scope tokens (RFC 6749 §3.3)'),
    ),
    z.transform((value) => parseScope(value) ?? []),
  ),
  VERIFY_KEY_IDS: z.pipe(commaList, z.array(z.string()).check(z.minLength(1, 'at least one KMS key ARN'))),
  ISSUER: optionalUrl,
  // Set by Lambda in every function (and by the local runtime); only the derived issuer needs it.
  AWS_REGION: z.optional(z.string()),
});

export type DiscoveryConfig = z.output<typeof discoveryEnv>;
