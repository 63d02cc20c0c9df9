/**
 * Fixed claims an administrator attaches to a client (a tenant, an environment, a team), added to every
 * access token the client gets and handed to backends by the authorizer as `claim_<name>`.
 */
export type ClientClaims = Record<string, string>;

export const MAX_CLIENT_CLAIMS = 20;
/** Names and values together, in UTF-8 bytes: keeps tokens and the authorizer's context small. */
export const MAX_CLIENT_CLAIMS_BYTES = 1024;
const MAX_NAME_LENGTH = 64;

/** Where the authorizer puts them in the backend context, so no claim can land on a key the server sets. */
export const CLIENT_CLAIM_CONTEXT_PREFIX = 'claim_';

/**
 * Letters, digits and underscores, starting with a letter: what API Gateway takes as an authorizer context
 * key and as `$context.authorizer.<key>` in mapping templates and gateway responses.
 */
const CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is being rejected
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Names a client claim may not take, compared without regard to case so that `ISS` cannot pass for `iss`
 * in a backend that folds case:
 * - RFC 7519 §4.1 registered claims;
 * - RFC 9068 §2.2 access-token claims and its §2.2.2/§2.2.3 identity and authorization claims;
 * - RFC 8693 §4 (act, may_act, scope, client_id) and RFC 7800 §3.1 (cnf);
 * - what this server puts in tokens itself, and the context keys the authorizer sets (clientId, exp, …).
 */
const RESERVED = new Set(
  [
    'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti',
    'client_id', 'scope', 'auth_time', 'acr', 'amr', 'groups', 'roles', 'entitlements',
    'act', 'may_act', 'cnf',
    'clientId', 'typ', 'kid', 'alg', 'azp', 'nonce', 'token_type',
  ].map((name) => name.toLowerCase()),
);

export function isReservedClaimName(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** A name a client claim may carry: the API Gateway-safe shape, not reserved. */
export function isClientClaimName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && CLAIM_NAME.test(name) && !isReservedClaimName(name);
}

/** Every problem with a set of client claims, each naming the claim; empty when they are acceptable. */
export function clientClaimsProblems(claims: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const entries = Object.entries(claims);
  if (entries.length > MAX_CLIENT_CLAIMS) problems.push(`at most ${MAX_CLIENT_CLAIMS} claims are allowed (got ${entries.length})`);
  let bytes = 0;
  for (const [name, value] of entries) {
    bytes += Buffer.byteLength(name, 'utf8') + (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
    if (isReservedClaimName(name)) {
      problems.push(`${JSON.stringify(name)} is a reserved claim name (RFC 7519, RFC 9068, RFC 8693, RFC 7800, or set by this server)`);
    } else if (name.length > MAX_NAME_LENGTH || !CLAIM_NAME.test(name)) {
      problems.push(`${JSON.stringify(name)} is not a valid claim name: use a letter, then letters, digits or _ (at most ${MAX_NAME_LENGTH})`);
    }
    if (typeof value !== 'string') problems.push(`${JSON.stringify(name)} must have a string value`);
    else if (CONTROL_CHARACTERS.test(value)) problems.push(`${JSON.stringify(name)} must not contain control characters`);
  }
  if (bytes > MAX_CLIENT_CLAIMS_BYTES) problems.push(`names and values must total at most ${MAX_CLIENT_CLAIMS_BYTES} bytes (got ${bytes})`);
  return problems;
}

/** What every access token carries (RFC 9068 §2.2): skipped without a regex or a lower-casing. */
const TOKEN_CLAIMS = new Set(['iss', 'sub', 'client_id', 'aud', 'scope', 'iat', 'exp', 'jti', 'nbf']);

/**
 * The client claims of a verified access token: string claims with a client-claim name; undefined when
 * there are none, the common case, which then costs one Set lookup per claim. The token was signed by this
 * server, which only ever adds registered claims, so this only tells them from the standard ones.
 */
export function clientClaimsOf(claims: Readonly<Record<string, unknown>>): ClientClaims | undefined {
  let found: ClientClaims | undefined;
  for (const name in claims) {
    if (TOKEN_CLAIMS.has(name)) continue;
    const value = claims[name];
    if (typeof value === 'string' && isClientClaimName(name)) (found ??= {})[name] = value;
  }
  return found;
}
