import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { parseOptionsStrictly, refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { ClientRegistryError, ClientStorageUnavailable } from '#shared/clients/client-registry-errors.js';
import type { StackInfo } from '../../local/stack-info.js';
import { DEFAULT_STACK_FILE, InvalidStackFile, readStackFile, stackFilePath, StackNotRunning } from '../../local/stack/stack-file.js';
import type { Connection } from '../clients/connection.js';
import { issuePostmanCredentials, POSTMAN_CLIENTS, type PostmanClientRole, type PostmanCredentials } from './postman-clients.js';
import { CREDENTIAL_VARIABLES, postmanEnvironment } from './postman-environment.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Holds live secrets, so it sits beside the collection but is git-ignored. */
export const DEFAULT_OUT_FILE = join('postman', 'local.generated.postman_environment.json');
const COLLECTION_FILE = join('postman', 'oauth-cc.postman_collection.json');

export const USAGE = `Usage: npm run postman:env -- [--stack-file FILE] [--out FILE]

Writes a Postman environment for the running local stack (npm start): its URLs and three clients,
created on first use and given new secrets on every run (a secret is shown only when it is issued):
${table((Object.keys(POSTMAN_CLIENTS) as PostmanClientRole[]).map((role) => {
  const { id, secret } = CREDENTIAL_VARIABLES[role];
  return [POSTMAN_CLIENTS[role].clientId, POSTMAN_CLIENTS[role].scopes.join(' '), `${id} / ${secret}`];
}))}
  --stack-file FILE  the stack to use (default: $OAUTH_STACK_FILE or ${DEFAULT_STACK_FILE})
  --out FILE         where to write the environment (default: ${DEFAULT_OUT_FILE})
`;

export interface PostmanEnvIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

// The emulators accept any credentials; fixed ones keep a developer's real AWS profile out of local runs.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** One `npm run postman:env` invocation; returns the exit status. Expected failures never show a stack trace. */
export async function runPostmanEnvCli(argv: readonly string[], io: PostmanEnvIo, context: { projectRoot: string }): Promise<number> {
  try {
    refuseOptionsKeptByNpm(io.env, 'postman:env', OPTIONS, (message) => new UsageError(message));
    const options = parseOptions(argv);
    if (options.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const stackFile = stackFilePath(context.projectRoot, options.stackFile, io.env);
    const out = options.out ?? DEFAULT_OUT_FILE;
    const outFile = isAbsolute(out) ? out : join(context.projectRoot, out);

    const stack = await readStackFile(stackFile);
    const credentials = await issueCredentials(stack);
    await writeSecretFile(outFile, `${JSON.stringify(postmanEnvironment(stack, credentials), null, 2)}\n`);
    io.stdout(summary(stack, credentials, displayPath(context.projectRoot, outFile)));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof ClientStorageUnavailable) {
      io.stderr(`error: the local stack's DynamoDB does not answer (${error.message}); is npm start still running?\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof StackNotRunning || error instanceof InvalidStackFile || error instanceof ClientRegistryError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

const OPTIONS = { help: { type: 'boolean', short: 'h' }, 'stack-file': { type: 'string' }, out: { type: 'string' } } as const;

function parseOptions(argv: readonly string[]): { help: boolean; stackFile?: string; out?: string } {
  const { values } = parseOptionsStrictly(argv, OPTIONS, false, (message) => new UsageError(message));
  return { help: values.help === true, stackFile: values['stack-file'], out: values.out };
}

async function issueCredentials(stack: StackInfo): Promise<PostmanCredentials> {
  const connection: Connection = {
    tableName: stack.clientsTable,
    revocationsTable: stack.revocationsTable,
    dynamodb: { region: stack.region, endpoint: stack.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS },
    defaults: { audience: stack.audience },
    description: `local stack (DynamoDB at ${stack.dynamodbEndpoint})`,
    local: true,
  };
  // Loaded only now: the AWS SDK takes about half a second to import, which usage errors can skip.
  const { openRegistry } = await import('../clients/open-registry.js');
  const { registry, close } = openRegistry(connection, () => new Date());
  try {
    return await issuePostmanCredentials(registry, connection.defaults);
  } finally {
    close();
  }
}

/** Owner-only, and written whole: a half-written environment with live secrets helps nobody. */
async function writeSecretFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** Relative to the project when inside it, as the commands printed are run from there. */
function displayPath(projectRoot: string, path: string): string {
  const inProject = relative(projectRoot, path);
  return inProject === '' || inProject.startsWith('..') || isAbsolute(inProject) ? path : inProject;
}

function summary(stack: StackInfo, credentials: PostmanCredentials, outFile: string): string {
  const clients = Object.values(credentials);
  const rows = clients.map(({ clientId, scopes, outcome }) => [clientId, scopes.join(' '), outcome === 'created' ? 'created' : 'new secret']);
  return [
    `Wrote ${outFile} for the local stack at ${stack.apiUrl}.`,
    '',
    table(rows),
    ...(clients.some(({ outcome }) => outcome === 'reset') ? ['Existing clients got new secrets: environments generated earlier no longer get tokens.', ''] : []),
    `Import ${COLLECTION_FILE} and ${outFile} into Postman, or run:`,
    `  npx newman run ${COLLECTION_FILE} -e ${outFile}`,
    '',
  ].join('\n');
}

/** Indented rows with aligned columns, ending in a blank line. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`).join('');
}
