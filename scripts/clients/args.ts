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
  canIntrospect?: boolean;
}

export type Command =
  | { name: 'help' }
  | { name: 'create'; input: CreateArgs }
  | { name: 'list' }
  | { name: 'show' | 'disable' | 'enable' | 'delete' | 'revoke-tokens'; clientId: string }
  | { name: 'rotate-secret'; clientId: string; expiresInSeconds?: number }
  | { name: 'remove-secret'; clientId: string; secretId: string; force: boolean }
  | { name: 'audit'; clientId?: string; since?: string };

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
  create: { positionals: [], options: ['name', 'scopes', 'default-scopes', 'audience', 'default-audience', 'ttl', 'can-introspect'] },
  list: { positionals: [], options: [] },
  show: { positionals: ['ID'], options: [] },
  'rotate-secret': { positionals: ['ID'], options: ['expires-in'] },
  'remove-secret': { positionals: ['ID', 'SECRET_ID'], options: ['force'] },
  disable: { positionals: ['ID'], options: [] },
  enable: { positionals: ['ID'], options: [] },
  delete: { positionals: ['ID'], options: [] },
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
    case 'audit':
      return { name, ...(operands.length === 0 ? {} : { clientId }), ...(values.since === undefined ? {} : { since: values.since }) };
  }
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
