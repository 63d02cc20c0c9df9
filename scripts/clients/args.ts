import type { AuthMethod } from '#shared/clients/registered-client.js';
import { parseOptionsStrictly } from '../cli/option-problems.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CreateArgs {
  name: string;
  scopes: string[];
  defaultScopes?: string[];
  audiences?: string[];
  defaultAudience?: string;
  ttlSeconds?: number;
  authMethod?: AuthMethod;
  /** A JWK Set file of the client's public keys (private_key_jwt). */
  jwksFile?: string;
  claims?: Record<string, string>;
  canIntrospect?: boolean;
}

export type Command =
  | { name: 'help' }
  | { name: 'create'; input: CreateArgs }
  | { name: 'list' }
  | { name: 'show' | 'disable' | 'enable' | 'delete' | 'revoke-tokens'; clientId: string }
  | { name: 'rotate-secret'; clientId: string; expiresInSeconds?: number }
  | { name: 'remove-secret'; clientId: string; secretId: string; force: boolean }
  | { name: 'set-keys'; clientId: string; jwksFile: string }
  | { name: 'set-claims'; clientId: string; claims: Record<string, string> }
  | { name: 'assertion'; clientId: string; keyFile: string; audience?: string; alg?: AssertionAlg; kid?: string }
  | { name: 'audit'; clientId?: string; since?: string };

export type AssertionAlg = 'RS256' | 'PS256' | 'ES256';

/** Where the clients table is: the running local stack, or a deployed stack with `--aws`. */
export type Target =
  | { kind: 'local'; stackFile?: string }
  | { kind: 'aws'; table?: string; revocationsTable?: string; stackName?: string; region?: string; auditTable?: string };

export interface CliRequest {
  command: Command;
  target: Target;
  json: boolean;
}

export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'stack-file': { type: 'string' },
  aws: { type: 'boolean' },
  table: { type: 'string' },
  'revocations-table': { type: 'string' },
  'stack-name': { type: 'string' },
  region: { type: 'string' },
  name: { type: 'string' },
  scopes: { type: 'string' },
  'default-scopes': { type: 'string' },
  audience: { type: 'string', multiple: true },
  'default-audience': { type: 'string' },
  ttl: { type: 'string' },
  'expires-in': { type: 'string' },
  force: { type: 'boolean' },
  'auth-method': { type: 'string' },
  jwks: { type: 'string' },
  claim: { type: 'string', multiple: true },
  clear: { type: 'boolean' },
  key: { type: 'string' },
  aud: { type: 'string' },
  alg: { type: 'string' },
  kid: { type: 'string' },
  'can-introspect': { type: 'boolean' },
  since: { type: 'string' },
  'audit-table': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'json', 'stack-file', 'aws', 'table', 'revocations-table', 'stack-name', 'region', 'audit-table'];
const AWS_ONLY_OPTIONS: readonly OptionName[] = ['table', 'revocations-table', 'stack-name', 'region', 'audit-table'];

interface CommandSpec {
  positionals: readonly string[];
  options: readonly OptionName[];
}

const COMMANDS = {
  help: { positionals: [], options: [] },
  create: {
    positionals: [],
    options: ['name', 'scopes', 'default-scopes', 'audience', 'default-audience', 'ttl', 'auth-method', 'jwks', 'claim', 'can-introspect'],
  },
  list: { positionals: [], options: [] },
  show: { positionals: ['ID'], options: [] },
  'rotate-secret': { positionals: ['ID'], options: ['expires-in'] },
  'remove-secret': { positionals: ['ID', 'SECRET_ID'], options: ['force'] },
  disable: { positionals: ['ID'], options: [] },
  enable: { positionals: ['ID'], options: [] },
  delete: { positionals: ['ID'], options: [] },
  'set-keys': { positionals: ['ID'], options: ['jwks'] },
  'set-claims': { positionals: ['ID'], options: ['claim', 'clear'] },
  assertion: { positionals: ['ID'], options: ['key', 'aud', 'alg', 'kid'] },
  'revoke-tokens': { positionals: ['ID'], options: [] },
  // ID is optional: without it, the whole trail.
  audit: { positionals: ['ID'], options: ['since'] },
} as const satisfies Record<string, CommandSpec>;

type CommandName = keyof typeof COMMANDS;

export function parseCliArgs(argv: readonly string[]): CliRequest {
  const { values, positionals, tokens } = parseStrictly(argv);
  const [commandName, ...operands] = positionals;
  if (values.help === true) return { command: { name: 'help' }, target: { kind: 'local' }, json: false };
  if (commandName === undefined) throw new UsageError('no command given');
  if (!isCommandName(commandName)) throw new UsageError(`unknown command "${commandName}"`);

  const spec: CommandSpec = COMMANDS[commandName];
  const given = tokens.flatMap((token) => (token.kind === 'option' ? [token.name as OptionName] : []));
  for (const option of given) {
    if (!GLOBAL_OPTIONS.includes(option) && !spec.options.includes(option)) {
      throw new UsageError(`--${option} is not an option of "${commandName}"`);
    }
    if (OPTIONS[option].type === 'string' && !('multiple' in OPTIONS[option]) && given.filter((g) => g === option).length > 1) {
      throw new UsageError(`--${option} may be given only once`);
    }
  }
  const optionalId = commandName === 'audit' && operands.length === 0;
  if (commandName !== 'help' && !optionalId && operands.length !== spec.positionals.length) {
    const expected = spec.positionals.length === 0 ? 'no arguments' : spec.positionals.join(' ');
    throw new UsageError(`"${commandName}" takes ${expected}, got ${operands.length === 0 ? 'none' : operands.join(' ')}`);
  }

  return { command: toCommand(commandName, operands, values), target: toTarget(values), json: values.json === true };
}

type Values = ReturnType<typeof parseStrictly>['values'];

function parseStrictly(argv: readonly string[]) {
  return parseOptionsStrictly(argv, OPTIONS, true, (message) => new UsageError(message));
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

function toCommand(name: CommandName, operands: string[], values: Values): Command {
  const [clientId = '', secretId = ''] = operands;
  switch (name) {
    case 'help':
    case 'list':
      return { name };
    case 'create':
      return { name, input: toCreateArgs(values) };
    case 'show':
    case 'disable':
    case 'enable':
    case 'delete':
    case 'revoke-tokens':
      return { name, clientId };
    case 'rotate-secret': {
      const expiresInSeconds = optionalSeconds('expires-in', values['expires-in']);
      return { name, clientId, ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }) };
    }
    case 'remove-secret':
      return { name, clientId, secretId, force: values.force === true };
    case 'set-keys':
      if (values.jwks === undefined) throw new UsageError('set-keys needs --jwks FILE (a JWK Set of the public keys)');
      return { name, clientId, jwksFile: values.jwks };
    case 'set-claims': {
      if (values.clear === true && values.claim !== undefined) throw new UsageError('give either --claim NAME=VALUE ... or --clear, not both');
      if (values.clear !== true && values.claim === undefined) throw new UsageError('set-claims needs --claim NAME=VALUE (repeatable), or --clear to remove them all');
      return { name, clientId, claims: values.clear === true ? {} : parseClaims(values.claim ?? []) };
    }
    case 'assertion': {
      if (values.key === undefined) throw new UsageError('assertion needs --key FILE (the private key, as a JWK or PEM)');
      const alg = values.alg;
      if (alg !== undefined && alg !== 'RS256' && alg !== 'PS256' && alg !== 'ES256') {
        throw new UsageError(`--alg must be RS256, PS256 or ES256, got "${alg}"`);
      }
      return {
        name,
        clientId,
        keyFile: values.key,
        ...(values.aud === undefined ? {} : { audience: values.aud }),
        ...(alg === undefined ? {} : { alg }),
        ...(values.kid === undefined ? {} : { kid: values.kid }),
      };
    }
    case 'audit':
      return { name, ...(operands.length === 0 ? {} : { clientId }), ...(values.since === undefined ? {} : { since: values.since }) };
  }
}

/** `--claim NAME=VALUE`, split at the first '=' (values may contain one); each name once. */
function parseClaims(options: readonly string[]): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const option of options) {
    const equals = option.indexOf('=');
    if (equals <= 0) throw new UsageError(`--claim expects NAME=VALUE, got "${option}"`);
    const name = option.slice(0, equals);
    if (Object.hasOwn(claims, name)) throw new UsageError(`--claim ${name} is given more than once`);
    claims[name] = option.slice(equals + 1);
  }
  return claims;
}

const AUTH_METHODS: readonly AuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

function authMethodOption(values: Values): { authMethod?: AuthMethod; jwksFile?: string } {
  const method = values['auth-method'];
  if (method !== undefined && !(AUTH_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--auth-method must be one of ${AUTH_METHODS.join(', ')}, got "${method}"`);
  }
  if (method === 'private_key_jwt' && values.jwks === undefined) {
    throw new UsageError('--auth-method private_key_jwt needs --jwks FILE (a JWK Set of the public keys)');
  }
  if (method !== 'private_key_jwt' && values.jwks !== undefined) throw new UsageError('--jwks applies only with --auth-method private_key_jwt');
  return {
    ...(method === undefined ? {} : { authMethod: method as AuthMethod }),
    ...(values.jwks === undefined ? {} : { jwksFile: values.jwks }),
  };
}

function toCreateArgs(values: Values): CreateArgs {
  if (values.name === undefined) throw new UsageError('create needs --name');
  if (values.scopes === undefined) throw new UsageError('create needs --scopes (space-separated, e.g. --scopes "products:read products:write")');
  const ttlSeconds = optionalSeconds('ttl', values.ttl);
  return {
    name: values.name,
    scopes: splitScopes(values.scopes),
    ...(values['default-scopes'] === undefined ? {} : { defaultScopes: splitScopes(values['default-scopes']) }),
    ...(values.audience === undefined ? {} : { audiences: values.audience }),
    ...(values['default-audience'] === undefined ? {} : { defaultAudience: values['default-audience'] }),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
    ...authMethodOption(values),
    ...(values.claim === undefined ? {} : { claims: parseClaims(values.claim) }),
    ...(values['can-introspect'] === true ? { canIntrospect: true } : {}),
  };
}

/** Shells make exact single spaces awkward, so any whitespace separates; each token is checked later. */
function splitScopes(value: string): string[] {
  return value.split(/\s+/).filter((token) => token.length > 0);
}

function optionalSeconds(option: OptionName, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new UsageError(`--${option} expects a whole number of seconds, got "${value}"`);
  return Number(value);
}

function toTarget(values: Values): Target {
  if (values.aws !== true) {
    const misplaced = AWS_ONLY_OPTIONS.find((option) => values[option] !== undefined);
    if (misplaced !== undefined) throw new UsageError(`--${misplaced} applies only with --aws`);
    return { kind: 'local', ...(values['stack-file'] === undefined ? {} : { stackFile: values['stack-file'] }) };
  }
  if (values['stack-file'] !== undefined) throw new UsageError('--stack-file describes the local stack; it cannot be combined with --aws');
  if (values.table !== undefined && values['stack-name'] !== undefined) {
    throw new UsageError('give either --table or --stack-name, not both');
  }
  if (values['audit-table'] !== undefined && values.table === undefined) {
    throw new UsageError('--audit-table goes with --table; a stack names its audit table itself');
  }
  return {
    kind: 'aws',
    ...(values.table === undefined ? {} : { table: values.table }),
    ...(values['revocations-table'] === undefined ? {} : { revocationsTable: values['revocations-table'] }),
    ...(values['stack-name'] === undefined ? {} : { stackName: values['stack-name'] }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values['audit-table'] === undefined ? {} : { auditTable: values['audit-table'] }),
  };
}
