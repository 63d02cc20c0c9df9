import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { parseOptionsStrictly, refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { ClientRegistryError, ClientStorageUnavailable } from '#shared/clients/client-registry-errors.js';
import { ConnectionError, resolveConnection } from '../clients/connection.js';
import { cloudFormationStackOutputs, StackOutputsUnavailable, type StackOutputsSource } from '../clients/stack-outputs.js';
import { issuePostmanCredentials, type PostmanCredentials } from '../postman/postman-clients.js';
import { postmanEnvironment, type PostmanEnvironment } from '../postman/postman-environment.js';
import { samconfigDeployTarget } from '../samconfig/deploy-target.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
const COLLECTION_FILE = join('postman', 'oauth-cc.postman_collection.json');

export const USAGE = `Usage: npm run after-deploy -- [--stack-name NAME] [--region REGION] [--out FILE]

After \`sam deploy\`: reads the stack's CloudFormation outputs, creates the clients the Postman collection
signs in with in the stack's clients table (or gives them new secrets when they exist), and writes a
Postman environment for the deployed API.

  --stack-name NAME  default: stack_name in samconfig.toml
  --region REGION    default: region in samconfig.toml, else the AWS SDK's (AWS_REGION, profile)
  --out FILE         default: postman/<stack>.generated.postman_environment.json

Uses your AWS credentials (cloudformation:DescribeStacks; dynamodb:GetItem, PutItem, UpdateItem,
DeleteItem on the clients table).
`;

export interface AfterDeployIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export interface AfterDeployContext {
  projectRoot: string;
  stackOutputs?: StackOutputsSource;
  clock?: () => Date;
}

/** The outputs of template.yaml this needs. */
interface DeployedStack {
  stackName: string;
  apiUrl: string;
  tokenEndpoint: string;
  audience: string;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The stack exists but lacks outputs this needs (an older template?). */
class MissingOutputs extends Error {
  override readonly name = 'MissingOutputs';
}

/** One `npm run after-deploy` run; returns the exit status. */
export async function runAfterDeploy(argv: readonly string[], io: AfterDeployIo, context: AfterDeployContext): Promise<number> {
  try {
    refuseOptionsKeptByNpm(io.env, 'after-deploy', OPTIONS, (message) => new UsageError(message));
    const options = parseOptions(argv);
    if (options.help) {
      io.stdout(USAGE);
      return 0;
    }
    const samconfig = await samconfigDeployTarget(context.projectRoot);
    const stackName = options.stackName ?? samconfig.stackName;
    if (stackName === undefined) throw new UsageError('no stack name: pass --stack-name or set stack_name in samconfig.toml');
    const region = options.region ?? samconfig.region;
    // Read once: the clients connection and the environment both come from these outputs.
    const outputs = onceOutputs(context.stackOutputs ?? cloudFormationStackOutputs);
    const stack = deployedStack(stackName, await outputs.read(stackName, region));

    const connection = await resolveConnection(
      { kind: 'aws', stackName, ...(region === undefined ? {} : { region }) },
      { projectRoot: context.projectRoot, env: io.env, stackOutputs: outputs },
    );
    // Loaded only now: the AWS SDK takes about half a second to import, which usage errors can skip.
    const { openRegistry } = await import('../clients/open-registry.js');
    const { registry, close } = openRegistry(connection, context.clock ?? (() => new Date()));
    let credentials;
    try {
      credentials = await issuePostmanCredentials(registry, connection.defaults);
    } finally {
      close();
    }

    const outFile = inProject(context.projectRoot, options.out ?? join('postman', `${stackName}.generated.postman_environment.json`));
    const environment = deployedEnvironment(stack, credentials);
    await writeSecretFile(outFile, `${JSON.stringify(environment, null, 2)}\n`);
    const first = credentials.readWrite;
    const shownFile = relative(context.projectRoot, outFile) || outFile;
    io.stdout(
      [
        `Stack ${stackName}: ${stack.apiUrl}`,
        '',
        `Client ${first.clientId} (${first.scopes.join(' ')}) ${first.outcome === 'created' ? 'created' : 'given a new secret'}:`,
        `  client_id      ${first.clientId}`,
        `  client_secret  ${first.clientSecret}`,
        '  (shown once: only its hash is stored)',
        '',
        'Get a token:',
        `  curl -s -u '${first.clientId}:${first.clientSecret}' -d grant_type=client_credentials ${stack.tokenEndpoint}`,
        '',
        `Wrote ${shownFile} (also holds ${credentials.readOnly.clientId} and ${credentials.admin.clientId}). Run the collection:`,
        `  npx newman run ${COLLECTION_FILE} -e ${shownFile}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof ClientStorageUnavailable) {
      io.stderr(`error: cannot use the stack's clients table: ${error.message}\nAre your AWS credentials set for this account and region?\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof MissingOutputs || error instanceof StackOutputsUnavailable || error instanceof ConnectionError || error instanceof ClientRegistryError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

function deployedStack(stackName: string, outputs: Record<string, string>): DeployedStack {
  const required = ['ApiUrl', 'TokenEndpoint', 'DefaultAudience', 'ClientsTableName'] as const;
  const missing = required.filter((key) => outputs[key] === undefined || outputs[key] === '');
  if (missing.length > 0) throw new MissingOutputs(`stack "${stackName}" has no ${missing.join(', ')} output; is it deployed from this template.yaml?`);
  return { stackName, apiUrl: outputs.ApiUrl!, tokenEndpoint: outputs.TokenEndpoint!, audience: outputs.DefaultAudience! };
}

/**
 * The collection's environment, with the variables `npm run postman:env` writes for the local stack. Its id
 * is derived from the stack name, so importing it in Postman replaces the earlier import for the same stack
 * and leaves the local environment alone.
 */
function deployedEnvironment(stack: DeployedStack, credentials: PostmanCredentials): PostmanEnvironment {
  return { ...postmanEnvironment(stack, credentials), id: environmentId(stack.stackName), name: `oauth-cc ${stack.stackName} (deployed)` };
}

function onceOutputs(source: StackOutputsSource): StackOutputsSource {
  const read = new Map<string, Promise<Record<string, string>>>();
  return {
    read(stackName, region) {
      const key = `${region ?? ''}/${stackName}`;
      if (!read.has(key)) read.set(key, source.read(stackName, region));
      return read.get(key)!;
    },
  };
}

// Stable per stack name, in UUID form as Postman writes ids.
function environmentId(stackName: string): string {
  const h = createHash('sha256').update(`oauth-cc deployed ${stackName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function inProject(projectRoot: string, path: string): string {
  return isAbsolute(path) ? path : join(projectRoot, path);
}

const OPTIONS = { help: { type: 'boolean', short: 'h' }, 'stack-name': { type: 'string' }, region: { type: 'string' }, out: { type: 'string' } } as const;

function parseOptions(argv: readonly string[]): { help: boolean; stackName?: string; region?: string; out?: string } {
  const { values } = parseOptionsStrictly(argv, OPTIONS, false, (message) => new UsageError(message));
  return {
    help: values.help === true,
    ...(values['stack-name'] === undefined ? {} : { stackName: values['stack-name'] }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values.out === undefined ? {} : { out: values.out }),
  };
}

/** Owner-only, and written whole: the file holds live client secrets. */
async function writeSecretFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
