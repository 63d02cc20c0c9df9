import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { ClientDefaults } from '#shared/clients/client-settings.js';
import type { StackInfo } from '../../local/stack-info.js';
import type { Target } from './args.js';
import { samconfigDeployTarget } from '../samconfig/deploy-target.js';
import { StackOutputsUnavailable, type StackOutputsSource } from './stack-outputs.js';

/** How to reach one stack's clients table, and the defaults that stack gives new clients. */
export interface Connection {
  tableName: string;
  /** Where clients' token cut-offs go; unknown with a bare `--table` (then `--revocations-table`). */
  revocationsTable: string | undefined;
  dynamodb: DynamoDBClientConfig;
  defaults: ClientDefaults;
  /** Where the table is, for messages: "local stack (http://127.0.0.1:8000)". */
  description: string;
  local: boolean;
  /** The stack's issuer, the audience of client assertions made by `assertion`; unknown with --table. */
  issuer?: string;
  /** The audit table of registry changes; without one, changes are refused (shared/audit/audited-registry.ts). */
  auditTable?: string;
}

/** `.local/stack.json` is absent: nothing is running locally. */
export class LocalStackNotRunning extends Error {
  override readonly name = 'LocalStackNotRunning';
  constructor(readonly stackFile: string) {
    super(`local stack not running: run npm start (no ${stackFile})`);
  }
}

/** The stack could be found but does not say where its clients table is. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

export interface ConnectionContext {
  projectRoot: string;
  env: Record<string, string | undefined>;
  stackOutputs: StackOutputsSource;
}

type LocalStackFields = Pick<StackInfo, 'region' | 'dynamodbEndpoint' | 'clientsTable' | 'revocationsTable' | 'audience' | 'auditTable'> & { issuer?: string | undefined };

const localStackSchema: z.ZodType<LocalStackFields> = z.object({
  issuer: z.string().optional(),
  region: z.string().min(1),
  dynamodbEndpoint: z.url(),
  clientsTable: z.string().min(1),
  revocationsTable: z.string().min(1, { error: 'missing: restart the stack (npm start) so it writes a current stack file' }),
  audience: z.string().min(1),
  auditTable: z.string().min(1).optional(),
});

// The emulators accept any credentials; fixed ones keep a developer's real AWS profile out of local runs.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function resolveConnection(target: Target, context: ConnectionContext): Promise<Connection> {
  return target.kind === 'local' ? localConnection(target.stackFile, context) : awsConnection(target, context);
}

async function localConnection(stackFileOption: string | undefined, { projectRoot, env }: ConnectionContext): Promise<Connection> {
  const given = stackFileOption ?? env.OAUTH_STACK_FILE ?? join('.local', 'stack.json');
  const stackFile = isAbsolute(given) ? given : join(projectRoot, given);
  let text: string;
  try {
    text = await readFile(stackFile, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') throw new LocalStackNotRunning(stackFile);
    throw new ConnectionError(`cannot read ${stackFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const stack = localStackSchema.safeParse(parseJson(text, stackFile));
  if (!stack.success) {
    const problems = stack.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new ConnectionError(`${stackFile} is not a valid stack file: ${problems.join('; ')}`);
  }
  const { region, dynamodbEndpoint, clientsTable, revocationsTable, audience, auditTable, issuer } = stack.data;
  return {
    ...(issuer === undefined ? {} : { issuer }),
    ...(auditTable === undefined ? {} : { auditTable }),
    tableName: clientsTable,
    revocationsTable,
    dynamodb: { region, endpoint: dynamodbEndpoint, credentials: LOCAL_CREDENTIALS },
    defaults: { audience },
    description: `local stack (DynamoDB at ${dynamodbEndpoint})`,
    local: true,
  };
}

async function awsConnection(
  target: Extract<Target, { kind: 'aws' }>,
  { projectRoot, env, stackOutputs }: ConnectionContext,
): Promise<Connection> {
  const samconfig = await samconfigDeployTarget(projectRoot);
  // The SDK finds no region without AWS_REGION or a profile that names one; the stack samconfig.toml names is
  // in samconfig.toml's region, the one `sam deploy` and `npm run after-deploy` use.
  const region = target.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION ? undefined : samconfig.region);
  const dynamodb: DynamoDBClientConfig = region === undefined ? {} : { region };
  if (target.table !== undefined) {
    const audit = target.auditTable === undefined ? {} : { auditTable: target.auditTable };
    return { tableName: target.table, revocationsTable: target.revocationsTable, dynamodb, defaults: {}, description: `table ${target.table}`, local: false, ...audit };
  }
  const stackName = target.stackName ?? samconfig.stackName;
  if (stackName === undefined) throw new ConnectionError('no stack name: pass --stack-name NAME or --table NAME');
  let outputs: Record<string, string>;
  try {
    outputs = await stackOutputs.read(stackName, region);
  } catch (error) {
    if (error instanceof StackOutputsUnavailable) throw new ConnectionError(error.message, { cause: error });
    throw error;
  }
  const tableName = outputs.ClientsTableName;
  if (tableName === undefined) throw new ConnectionError(`stack "${stackName}" has no ClientsTableName output`);
  const lifetime = Number(outputs.DefaultTokenLifetimeSeconds);
  return {
    ...(outputs.AuditTableName === undefined ? {} : { auditTable: outputs.AuditTableName }),
    tableName,
    revocationsTable: target.revocationsTable ?? outputs.RevocationsTableName,
    dynamodb,
    defaults: {
      ...(outputs.DefaultAudience === undefined ? {} : { audience: outputs.DefaultAudience }),
      ...(Number.isInteger(lifetime) && lifetime > 0 ? { tokenLifetimeSeconds: lifetime } : {}),
    },
    description: `stack ${stackName} (table ${tableName})`,
    local: false,
    ...(outputs.Issuer === undefined ? {} : { issuer: outputs.Issuer }),
  };
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConnectionError(`${fileName} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
