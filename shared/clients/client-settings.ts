import { z } from 'zod';
import { isResourceIndicator } from '../oauth/resource-indicator.js';
import { isValidScopeToken } from '../oauth/scope.js';
import { clientClaimsProblems, type ClientClaims } from './client-claims.js';
import { parsePublicJwks, type StoredJwk } from './client-keys.js';
import { ValidationError } from './client-registry-errors.js';
import type { AuthMethod } from './registered-client.js';

/** Upper bound on a client's access-token lifetime (the template's MaxTokenLifetimeSeconds ceiling). */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3_600;
export const MAX_NAME_LENGTH = 200;
/** Longest grace period an outgoing secret may get during rotation. */
export const MAX_SECRET_GRACE_SECONDS = 366 * 86_400;

/**
 * Chosen ids use only RFC 3986 unreserved characters, so they survive form-urlencoding and the
 * `client_id:client_secret` Basic credentials (RFC 6749 §2.3.1) unchanged.
 */
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is being rejected
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const scopeToken = z.string().refine(isValidScopeToken, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid scope token (RFC 6749 §3.3)`,
});
const audience = z.string().refine(isResourceIndicator, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an absolute URI without a fragment (RFC 8707 §2)`,
});
const seconds = (max: number) =>
  z
    .number({ error: 'must be a number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .positive({ error: 'must be positive' })
    .max(max, { error: `must be at most ${max} seconds` });

const newClientSchema = z.object({
  clientId: z.string().regex(CLIENT_ID, { error: 'must be 1–128 letters, digits or . _ ~ -' }).optional(),
  name: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` })
    // Names end up in terminals and logs; control characters could rewrite what an operator sees.
    .refine((name) => !CONTROL_CHARACTERS.test(name), { error: 'must not contain control characters' }),
  scopes: z.array(scopeToken).min(1, { error: 'at least one scope is required' }),
  defaultScopes: z.array(scopeToken).min(1, { error: 'must name at least one scope when given' }).optional(),
  audiences: z.array(audience).min(1, { error: 'at least one audience is required' }),
  defaultAudience: audience.optional(),
  ttlSeconds: seconds(MAX_TOKEN_LIFETIME_SECONDS),
  authMethod: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt'], {
    error: 'must be client_secret_basic, client_secret_post or private_key_jwt',
  }).optional(),
  canIntrospect: z.boolean().optional(),
});

/** A registration request; what is left out comes from ClientDefaults. */
export interface NewClient {
  /** Chosen id (e.g. a fixed demo client); a random one when absent. */
  clientId?: string;
  name: string;
  scopes: readonly string[];
  /** Scopes granted when a token request names none (RFC 6749 §3.3); all allowed scopes when absent. */
  defaultScopes?: readonly string[];
  /** Resources (RFC 8707) the client may get tokens for; the stack's audience when absent. */
  audiences?: readonly string[];
  /** Audience of tokens requested without `resource`; the first audience when absent. */
  defaultAudience?: string;
  ttlSeconds?: number;
  /** client_secret_basic when absent. private_key_jwt needs `jwks` and gets no secret. */
  authMethod?: AuthMethod;
  /** A JWK Set of public keys (RFC 7517 §5), as read from a file; private_key_jwt only. */
  jwks?: unknown;
  /** Fixed claims for every access token of the client. */
  claims?: Readonly<Record<string, string>>;
  /** May call the introspection endpoint (RFC 7662 §2.1: the endpoint must be protected); false when absent. */
  canIntrospect?: boolean;
}

/** Stack-wide values used when a new client does not choose its own. */
export interface ClientDefaults {
  /** The audience of the stack's API (template DefaultAudience); none means audiences must be given. */
  audience?: string;
  tokenLifetimeSeconds?: number;
}

export interface ClientSettings {
  clientId?: string;
  name: string;
  allowedScopes: string[];
  defaultScopes: string[];
  allowedAudiences: string[];
  defaultAudience: string;
  tokenLifetimeSeconds: number;
  authMethod: AuthMethod;
  jwks?: StoredJwk[];
  claims?: ClientClaims;
  canIntrospect: boolean;
}

/**
 * Validates a registration and fills in defaults: default scopes are all allowed scopes, audiences the
 * stack's audience, the default audience the first allowed one. Throws ValidationError naming every problem.
 */
export function resolveClientSettings(input: NewClient, defaults: ClientDefaults): ClientSettings {
  // Defaults go through the same checks as explicit values, so a bad stack setting cannot slip in.
  const parsed = parseOrThrow(newClientSchema, {
    ...input,
    audiences: input.audiences ?? (defaults.audience === undefined ? [] : [defaults.audience]),
    ttlSeconds: input.ttlSeconds ?? defaults.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
  });
  const allowedScopes = unique(parsed.scopes);
  const defaultScopes = unique(parsed.defaultScopes ?? allowedScopes);
  const allowedAudiences = unique(parsed.audiences);
  const defaultAudience = parsed.defaultAudience ?? parsed.audiences[0] ?? '';

  const issues: string[] = [];
  const notAllowed = defaultScopes.filter((scope) => !allowedScopes.includes(scope));
  if (notAllowed.length > 0) issues.push(`defaultScopes: ${notAllowed.join(' ')} not among the allowed scopes`);
  if (!allowedAudiences.includes(defaultAudience)) issues.push(`defaultAudience: ${defaultAudience} is not among the audiences`);
  const authMethod = parsed.authMethod ?? 'client_secret_basic';
  let jwks: StoredJwk[] | undefined;
  if (authMethod === 'private_key_jwt') {
    if (input.jwks === undefined) issues.push('jwks: a private_key_jwt client needs its public keys');
    else jwks = keysOrIssues(input.jwks, issues);
  } else if (input.jwks !== undefined) {
    issues.push(`jwks: only private_key_jwt clients have keys; ${authMethod} clients authenticate with a secret`);
  }
  const claims = input.claims === undefined ? undefined : claimsOrIssues(input.claims, issues);
  if (issues.length > 0) throw new ValidationError(issues);

  return {
    ...(parsed.clientId === undefined ? {} : { clientId: parsed.clientId }),
    name: parsed.name,
    allowedScopes,
    defaultScopes,
    allowedAudiences,
    defaultAudience,
    tokenLifetimeSeconds: parsed.ttlSeconds,
    authMethod,
    ...(jwks === undefined ? {} : { jwks }),
    ...(claims === undefined || Object.keys(claims).length === 0 ? {} : { claims }),
    canIntrospect: parsed.canIntrospect ?? false,
  };
}

/** The stored keys of a JWK Set (client-keys.ts); throws ValidationError naming every problem. */
export function validateJwks(input: unknown): StoredJwk[] {
  const issues: string[] = [];
  const keys = keysOrIssues(input, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return keys;
}

/** Client claims checked against client-claims.ts; throws ValidationError naming every problem. */
export function validateClientClaims(input: Readonly<Record<string, unknown>>): ClientClaims {
  const issues: string[] = [];
  const claims = claimsOrIssues(input, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return claims;
}

function keysOrIssues(input: unknown, issues: string[]): StoredJwk[] {
  const result = parsePublicJwks(input);
  if ('keys' in result) return result.keys;
  issues.push(...result.problems.map((problem) => `jwks: ${problem}`));
  return [];
}

function claimsOrIssues(input: Readonly<Record<string, unknown>>, issues: string[]): ClientClaims {
  const problems = clientClaimsProblems(input);
  issues.push(...problems.map((problem) => `claims: ${problem}`));
  return Object.fromEntries(Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const graceSchema = z.object({ expiresInSeconds: seconds(MAX_SECRET_GRACE_SECONDS).optional() });

export function validateSecretGrace(input: { expiresInSeconds?: number }): number | undefined {
  return parseOrThrow(graceSchema, input).expiresInSeconds;
}

function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
