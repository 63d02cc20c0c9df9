import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOptionsStrictly, refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import type { StackInfo } from '../../local/stack-info.js';
import { AwsTargetMissing, runAwsKeysCommand } from './aws-rotation.js';
import { cloudFormationDeployedStack, DeployedStackUnavailable, type DeployedStackSource } from './deployed-stack.js';
import { RotationStepRefused } from './rotation.js';
import { SamconfigError } from './samconfig-overrides.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage: npm run keys -- <command> [--aws [--stack-name NAME] [--region REGION] [--config-env ENV]] [--stack-file PATH]

The signing-key rotation runbook, one step per command: add → activate → (wait) → retire.

  status    show the key slots and the next step
  add       a new key in the free slot: published in the JWKS and accepted, not yet signing
  activate  sign with the added key; the old key keeps verifying until its tokens expire
  retire    remove the previous key; refused until every token it signed has expired
  help      this text

Without --aws: the local stack (npm start); each step applies at once.
  --stack-file PATH   default: .local/stack.json

With --aws: the deployed stack. Each step writes the slot states into samconfig.toml (parameter_overrides),
where the next plain \`sam deploy\` reads them, and records when keys were published and stopped signing in
samconfig.signing-keys.json; you then run \`sam build && sam deploy\`. Nothing in AWS is changed by this command
(it reads the stack with cloudformation:DescribeStacks). Never pass --parameter-overrides to \`sam deploy\`: it
replaces samconfig.toml's list, and the key slots would fall back to the template defaults.
  --stack-name NAME   default: stack_name in samconfig.toml
  --region REGION     default: region in samconfig.toml, else AWS_REGION
  --config-env ENV    samconfig.toml environment, default: default

Exit status: 0 done, 1 refused or failed (the message says why and, when it is a matter of time, how long to
wait), 2 usage error or no running local stack.
`;

export interface KeysIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export interface KeysContext {
  projectRoot: string;
  deployedStack?: DeployedStackSource;
  clock?: () => Date;
  /** The local stack's steps (loaded lazily: they pull in the KMS client). */
  runLocal?: (command: LocalCommand, stack: StackInfo, io: KeysIo) => Promise<void>;
}

export type LocalCommand = 'status' | 'add' | 'activate' | 'retire';
const COMMANDS = new Set<string>(['status', 'add', 'activate', 'retire']);

class UsageError extends Error {
  override readonly name = 'UsageError';
}

export async function runKeysCli(argv: readonly string[], io: KeysIo, context: KeysContext): Promise<number> {
  try {
    refuseOptionsKeptByNpm(io.env, 'keys', OPTIONS, (message) => new UsageError(message));
    const options = parseOptions(argv);
    if (options.command === 'help') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const command = options.command as LocalCommand;
    if (options.aws) {
      await runAwsKeysCommand(
        command,
        { configEnv: options.configEnv ?? 'default', ...optional('stackName', options.stackName), ...optional('region', options.region) },
        {
          projectRoot: context.projectRoot,
          deployedStack: context.deployedStack ?? cloudFormationDeployedStack,
          clock: context.clock ?? (() => new Date()),
          env: io.env,
          stdout: io.stdout,
        },
      );
      return EXIT_OK;
    }
    const stackFile = options.stackFile ?? io.env.OAUTH_STACK_FILE ?? join(context.projectRoot, '.local', 'stack.json');
    let stack: StackInfo;
    try {
      stack = JSON.parse(await readFile(stackFile, 'utf8')) as StackInfo;
    } catch {
      io.stderr(`error: no running local stack (${stackFile} not found): run npm start first, or pass --aws for the deployed stack.\n`);
      return EXIT_USAGE;
    }
    const runLocal = context.runLocal ?? (await import('./local-rotation.js')).runLocalKeysCommand;
    await runLocal(command, stack, io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof RotationStepRefused) {
      io.stderr(`refused: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof AwsTargetMissing || error instanceof DeployedStackUnavailable || error instanceof SamconfigError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

interface Options {
  command: string;
  aws: boolean;
  stackFile?: string;
  stackName?: string;
  region?: string;
  configEnv?: string;
}

const OPTIONS = {
  aws: { type: 'boolean', default: false },
  'stack-file': { type: 'string' },
  'stack-name': { type: 'string' },
  region: { type: 'string' },
  'config-env': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseOptions(argv: readonly string[]): Options {
  const parsed = parseOptionsStrictly(argv, OPTIONS, true, (message) => new UsageError(message));
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { command: 'help', aws: false };
  if (positionals.length === 0) throw new UsageError('which step? status, add, activate or retire');
  const [command, ...extra] = positionals;
  if (!COMMANDS.has(command!)) throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!values.aws && (values['stack-name'] ?? values.region ?? values['config-env']) !== undefined) {
    throw new UsageError('--stack-name, --region and --config-env apply to the deployed stack: add --aws');
  }
  return {
    command: command!,
    aws: values.aws,
    ...optional('stackFile', values['stack-file']),
    ...optional('stackName', values['stack-name']),
    ...optional('region', values.region),
    ...optional('configEnv', values['config-env']),
  };
}
