import { commaList, optionalNonEmpty, optionalUrl, type EnvField } from '#shared/config/env-types.js';
import { envSchema, type EnvOutput } from '#shared/config/parse-env.js';
import { parseScope } from '#shared/oauth/scope.js';

/** Space-delimited (RFC 6749 §3.3), as RFC 8414 scopes_supported lists them; duplicates collapse. */
const scopeList: EnvField<string[]> = (raw) => {
  if (raw === undefined) return { ok: false, problem: 'is not set' };
  const scopes = parseScope(raw.trim());
  return scopes === undefined ? { ok: false, problem: 'must be space-delimited scope tokens (RFC 6749 §3.3)' } : { ok: true, value: scopes };
};

export const discoveryEnv = envSchema({
  SCOPES_SUPPORTED: scopeList,
  VERIFY_KEY_IDS: commaList({ min: 1, what: 'at least one KMS key ARN' }),
  ISSUER: optionalUrl,
  // Set by Lambda in every function (and by the local runtime); only the derived issuer needs it.
  AWS_REGION: optionalNonEmpty,
});

export type DiscoveryConfig = EnvOutput<typeof discoveryEnv>;
