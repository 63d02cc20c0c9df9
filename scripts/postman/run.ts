import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { parseOptionsStrictly, refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { ClientRegistryError, ClientStorageUnavailable } from '#shared/clients/client-registry-errors.js';
import type { StackInfo } from '../../local/stack-info.js';
import { DEFAULT_STACK_FILE, InvalidStackFile, readStackFile, stackFilePath, StackNotRunning } from '../../local/stack/stack-file.js';
import type { Connection } from '../clients/connection.js';
import { MAX_ASSERTION_LIFETIME_SECONDS } from '#shared/client-auth/client-authentication.js';
import { makeClientAssertion } from '../clients/client-assertion.js';
import {
  issuePostmanCredentials,
  issuePostmanKeyClient,
  POSTMAN_CLIENTS,
  POSTMAN_KEY_CLIENT,
  type PostmanClientRole,
  type PostmanCredentials,
  type PostmanKeyCredential,
} from './postman-clients.js';
import { CREDENTIAL_VARIABLES, postmanEnvironment } from './postman-environment.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The private_key_jwt client's private key, in the stack's (git-ignored) data directory. */
const KEY_FILE_NAME = 'postman-key.jwk';

/** Holds live secrets, so it sits beside the collection but is git-ignored. */
export const DEFAULT_OUT_FILE = join('postman', 'local.generated.postman_environment.json');
const COLLECTION_FILE = join('postman', 'oauth-cc.postman_collection.json');

export const USAGE = `Usage: npm run postman:env -- [--stack-file FILE] [--out FILE]

Writes a Postman environment for the running local stack (npm start): its URLs and three clients,
created on first use and given new secrets on every run (a secret is shown only when it is issued):
${table((Object.keys(POSTMAN_CLIENTS) as PostmanClientRole[]).map((role) => {
  const { id, secret } = CREDENTIAL_VARIABLES[role];
  return [POSTMAN_CLIENTS[role].clientId, POSTMAN_CLIENTS[role].scopes.join(' '), `${id} / ${secret}`];
}).concat([[POSTMAN_KEY_CLIENT.clientId, POSTMAN_KEY_CLIENT.scopes.join(' '), 'keyClientId / clientAssertion (private_key_jwt)']]))}
The key client's private key is written to ${KEY_FILE_NAME} in the stack's data directory; its assertion
in the environment works once, for ${MAX_ASSERTION_LIFETIME_SECONDS / 60} minutes. Print a fresh one with
  npm run clients -- assertion ${POSTMAN_KEY_CLIENT.clientId} --key <data dir>/${KEY_FILE_NAME}

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
    const { credentials, keyClient } = await issueCredentials(stack);
    const keyFile = join(stack.dataDir, KEY_FILE_NAME);
    await writeSecretFile(keyFile, `${JSON.stringify({ ...keyClient.privateKey.export({ format: 'jwk' }), kid: keyClient.kid })}\n`);
    const { clientAssertion } = makeClientAssertion({
      key: keyClient.privateKey,
      kid: keyClient.kid,
      alg: 'ES256',
      clientId: keyClient.clientId,
      audience: stack.issuer,
      now: new Date(),
      lifetimeSeconds: MAX_ASSERTION_LIFETIME_SECONDS,
    });
    const environment = postmanEnvironment(stack, credentials, { clientId: keyClient.clientId, clientAssertion });
    await writeSecretFile(outFile, `${JSON.stringify(environment, null, 2)}\n`);
    io.stdout(summary(stack, credentials, keyClient, displayPath(context.projectRoot, outFile), displayPath(context.projectRoot, keyFile)));
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

async function issueCredentials(stack: StackInfo): Promise<{ credentials: PostmanCredentials; keyClient: PostmanKeyCredential }> {
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
    return {
      credentials: await issuePostmanCredentials(registry, connection.defaults),
      keyClient: await issuePostmanKeyClient(registry, connection.defaults),
    };
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

function summary(stack: StackInfo, credentials: PostmanCredentials, keyClient: PostmanKeyCredential, outFile: string, keyFile: string): string {
  const clients = Object.values(credentials);
  const rows = clients.map(({ clientId, scopes, outcome }) => [clientId, scopes.join(' '), outcome === 'created' ? 'created' : 'new secret']);
  rows.push([keyClient.clientId, POSTMAN_KEY_CLIENT.scopes.join(' '), keyClient.outcome === 'created' ? 'created (private_key_jwt)' : 'new key']);
  return [
    `Wrote ${outFile} for the local stack at ${stack.apiUrl}.`,
    '',
    table(rows),
    `The ${keyClient.clientId} assertion (clientAssertion) works once, for ${MAX_ASSERTION_LIFETIME_SECONDS / 60} minutes. For a fresh one, paste the output of:`,
    `  npm run clients -- assertion ${keyClient.clientId} --key ${keyFile}`,
    '',
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
