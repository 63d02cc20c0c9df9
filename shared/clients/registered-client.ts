import { readStoredJwk, type StoredJwk } from './client-keys.js';

/** A secret as stored: only its hash, never the secret itself. */
export interface StoredSecret {
  secretId: string;
  hash: string;
  createdAt: string;
  expiresAt?: string;
}

/** At most two secrets at once: the current one and the one being rotated out. */
export const MAX_SECRETS_PER_CLIENT = 2;

export type ClientStatus = 'active' | 'disabled';

/**
 * How a client proves who it is at the token endpoint (OIDC Dynamic Client Registration
 * `token_endpoint_auth_method`). The two secret methods are one family: a secret client may send its
 * secret in the Basic header or in the body, as RFC 6749 §2.3.1 lets every client. private_key_jwt clients
 * (RFC 7523 §2.2) have no secret at all, and a secret never authenticates them, nor an assertion a secret client.
 */
export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
const AUTH_METHODS: readonly unknown[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] satisfies AuthMethod[];

/** The clients-table item. */
export interface RegisteredClient {
  clientId: string;
  name: string;
  status: ClientStatus;
  allowedScopes: string[];
  defaultScopes: string[];
  allowedAudiences: string[];
  defaultAudience: string;
  tokenLifetimeSeconds: number;
  /** Absent on items written before introspection existed: they may not introspect. */
  canIntrospect?: boolean;
  secrets: StoredSecret[];
  createdAt: string;
  updatedAt: string;
  /** Absent on items written before clients could choose: client_secret_basic. */
  authMethod?: AuthMethod;
  /** private_key_jwt only: the public keys its assertions may be signed with. */
  jwks?: StoredJwk[];
  /** Fixed claims added to every access token of the client (client-claims.ts). */
  claims?: Record<string, string>;
}

/** RFC 3339 date-time in UTC, as toISOString() writes it (fraction optional). */
const UTC_DATE_TIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;

const isText = (value: unknown): value is string => typeof value === 'string';
const isFilled = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isDateTime = (value: unknown): value is string => typeof value === 'string' && UTC_DATE_TIME.test(value);
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a clients-table item whenever it is read, so a corrupt row fails closed. Returns the client with
 * only the known attributes, or the paths of the wrong ones ("secrets.0.hash"), never their values.
 * Hand-written: the zod/mini schema it replaces cost the token function about 3 ms of each cold start.
 */
export function readRegisteredClient(item: unknown): { client: RegisteredClient } | { wrong: string[] } {
  if (!isRecord(item)) return { wrong: ['(item)'] };
  const wrong: string[] = [];
  const check = <T>(name: string, valid: (value: unknown) => value is T): T => {
    if (!valid(item[name])) wrong.push(name);
    return item[name] as T;
  };
  const optional = <T>(name: string, valid: (value: unknown) => value is T): T | undefined => (item[name] === undefined ? undefined : check(name, valid));

  const clientId = check('clientId', isFilled);
  const name = check('name', isFilled);
  const status = check('status', (value): value is ClientStatus => value === 'active' || value === 'disabled');
  const allowedScopes = check('allowedScopes', isTextList);
  const defaultScopes = check('defaultScopes', isTextList);
  const allowedAudiences = check('allowedAudiences', (value): value is string[] => isTextList(value) && value.length > 0);
  const defaultAudience = check('defaultAudience', isFilled);
  const tokenLifetimeSeconds = check('tokenLifetimeSeconds', (value): value is number => Number.isSafeInteger(value) && (value as number) > 0);
  const canIntrospect = optional('canIntrospect', (value): value is boolean => typeof value === 'boolean');
  const createdAt = check('createdAt', isDateTime);
  const updatedAt = check('updatedAt', isDateTime);
  const authMethod = optional('authMethod', (value): value is AuthMethod => AUTH_METHODS.includes(value));
  const claims = optional('claims', (value): value is Record<string, string> => isRecord(value) && Object.values(value).every(isText));
  const secrets = readList(item.secrets, 'secrets', MAX_SECRETS_PER_CLIENT, readStoredSecret, wrong);
  const jwks = item.jwks === undefined ? undefined : readList(item.jwks, 'jwks', Infinity, readStoredJwk, wrong);
  if (wrong.length > 0 || secrets === undefined) return { wrong };

  const client: RegisteredClient = { clientId, name, status, allowedScopes, defaultScopes, allowedAudiences, defaultAudience, tokenLifetimeSeconds, secrets, createdAt, updatedAt };
  if (canIntrospect !== undefined) client.canIntrospect = canIntrospect;
  if (authMethod !== undefined) client.authMethod = authMethod;
  if (jwks !== undefined) client.jwks = jwks;
  if (claims !== undefined) client.claims = { ...claims };
  return { client };
}

/** Each entry read by `read` (which names its wrong members); the path of the list itself when it is not one. */
function readList<T extends object>(value: unknown, path: string, maxLength: number, read: (entry: unknown) => T | { wrong: string[] }, wrong: string[]): T[] | undefined {
  if (!Array.isArray(value) || value.length > maxLength) {
    wrong.push(path);
    return undefined;
  }
  const entries: T[] = [];
  value.forEach((entry: unknown, index) => {
    const result = read(entry);
    if ('wrong' in result) wrong.push(...result.wrong.map((member) => (member === '' ? `${path}.${index}` : `${path}.${index}.${member}`)));
    else entries.push(result);
  });
  return entries;
}

function readStoredSecret(entry: unknown): StoredSecret | { wrong: string[] } {
  if (!isRecord(entry)) return { wrong: [''] };
  const wrong = ['secretId', 'hash'].filter((member) => !isFilled(entry[member]));
  if (!isDateTime(entry.createdAt)) wrong.push('createdAt');
  if (entry.expiresAt !== undefined && !isDateTime(entry.expiresAt)) wrong.push('expiresAt');
  if (wrong.length > 0) return { wrong };
  const secret: StoredSecret = { secretId: entry.secretId as string, hash: entry.hash as string, createdAt: entry.createdAt as string };
  if (entry.expiresAt !== undefined) secret.expiresAt = entry.expiresAt as string;
  return secret;
}

export function authMethodOf(client: Pick<RegisteredClient, 'authMethod'>): AuthMethod {
  return client.authMethod ?? 'client_secret_basic';
}

export function usesPrivateKeyJwt(client: Pick<RegisteredClient, 'authMethod'>): boolean {
  return client.authMethod === 'private_key_jwt';
}
