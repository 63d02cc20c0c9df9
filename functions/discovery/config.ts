import { z } from 'zod';
import { commaList, optionalUrl } from '#shared/config/env-types.js';
import { parseScope } from '#shared/oauth/scope.js';

export const discoveryEnv = z.object({
  /** Space-delimited (RFC 6749 §3.3), as RFC 8414 scopes_supported lists them. */
  SCOPES_SUPPORTED: z
    .string()
    .trim()
    .transform((value, context) => {
      const scopes = parseScope(value);
      if (scopes === undefined) context.addIssue({ code: 'custom', message: 'must be space-delimited scope tokens (RFC 6749 §3.3)' });
      return scopes ?? [];
    }),
  VERIFY_KEY_IDS: commaList.pipe(z.array(z.string()).min(1, 'at least one KMS key ARN')),
  ISSUER: optionalUrl,
});

export type DiscoveryConfig = z.infer<typeof discoveryEnv>;
