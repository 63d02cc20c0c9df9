import { readFile } from 'node:fs/promises';
import type { ClientRegistry } from '#shared/clients/client-registry.js';
import { usesPrivateKeyJwt } from '#shared/clients/registered-client.js';
import {
  ClientRegistryError,
  ClientStorageUnavailable,
  LastSecretProtected,
  SecretLimitReached,
  ValidationError,
  WrongAuthMethod,
} from '#shared/clients/client-registry-errors.js';
import { CorruptClientRecord } from '#shared/clients/dynamo-client-store.js';
import { AuditRecordNotWritten, AuditTrailUnavailable } from '#shared/audit/audited-registry.js';
import { renderAuditTrail, sinceTime } from './audit-output.js';
import { refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { OPTIONS, parseCliArgs, UsageError, type Command } from './args.js';
import { derivedKid, makeClientAssertion, readPrivateKey, registeredKeyFor } from './client-assertion.js';
import { ConnectionError, LocalStackNotRunning, resolveConnection, type Connection } from './connection.js';
import { renderOutcome, secretWarning, type Outcome } from './output.js';
import { cloudFormationStackOutputs, type StackOutputsSource } from './stack-outputs.js';
import { USAGE, USAGE_HINT } from './usage.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export interface CliContext {
  projectRoot: string;
  stackOutputs?: StackOutputsSource;
  clock?: () => Date;
}

/** Runs one `npm run clients` invocation and returns its exit status; expected failures never show a stack trace. */
export async function runClientsCli(argv: readonly string[], io: CliIo, context: CliContext): Promise<number> {
  const clock = context.clock ?? (() => new Date());
  let connection: Connection | undefined;
  try {
    refuseOptionsKeptByNpm(io.env, 'clients', OPTIONS, (message) => new UsageError(message));
    const request = parseCliArgs(argv);
    if (request.command.name === 'help') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    connection = await resolveConnection(request.target, {
      projectRoot: context.projectRoot,
      env: io.env,
      stackOutputs: context.stackOutputs ?? cloudFormationStackOutputs,
    });
    // Loaded only now: the AWS SDK takes about half a second to import, which help and usage errors can skip.
    const { openRegistry } = await import('./open-registry.js');
    const { registry, audit, close } = openRegistry(connection, clock, (message) => io.stderr(`warning: ${message}\n`));
    try {
      if (request.command.name === 'audit') {
        if (audit === undefined) throw new AuditTrailUnavailable(`the ${connection.description} has no audit table`);
        const { clientId, since } = request.command;
        const records = await audit.read({ ...(clientId === undefined ? {} : { clientId }), ...(since === undefined ? {} : { since: sinceTime(since, clock()) }) });
        io.stdout(renderAuditTrail(records, { json: request.json }));
        return EXIT_OK;
      }
      const outcome = await execute(registry, request.command, { connection, now: clock });
      io.stdout(renderOutcome(outcome, { json: request.json, now: clock() }));
      const warning = outcome.kind === 'client' ? secretWarning(outcome.client, clock()) : undefined;
      if (warning !== undefined) io.stderr(`warning: ${warning}\n`);
      return EXIT_OK;
    } finally {
      close();
    }
  } catch (error) {
    return report(error, connection, io);
  }
}

// The gateway caches an authorizer decision per token for AuthorizerCacheTtlSeconds (ReauthorizeEvery).
const CUT_OFF_NOTE = ' Its tokens issued so far are refused: at once where the gateway has no cached decision, otherwise within the authorizer cache TTL.';

async function execute(
  registry: ClientRegistry,
  command: Exclude<Command, { name: 'help' | 'audit' }>,
  context: { connection: Connection; now: () => Date },
): Promise<Outcome> {
  switch (command.name) {
    case 'create': {
      const { jwksFile, ...input } = command.input;
      if (jwksFile === undefined) return { kind: 'created', issued: await registry.createClient(input) };
      const client = await registry.createKeyClient({ ...input, jwks: await readJsonFile(jwksFile, '--jwks') });
      return {
        kind: 'client',
        client,
        message: `Created client "${client.name}" (private_key_jwt): it has no secret and authenticates with assertions signed by its keys.`,
      };
    }
    case 'set-keys': {
      const client = await registry.setKeys(command.clientId, await readJsonFile(command.jwksFile, '--jwks'));
      return { kind: 'client', client, message: `Replaced the keys of client ${client.clientId}; assertions signed by other keys are refused from now on.` };
    }
    case 'set-claims': {
      const client = await registry.setClaims(command.clientId, command.claims);
      const what = Object.keys(command.claims).length === 0 ? 'Removed the claims of' : 'Replaced the claims of';
      return { kind: 'client', client, message: `${what} client ${client.clientId}; tokens issued from now on carry them; tokens issued before keep the claims they were issued with.` };
    }
    case 'assertion':
      return { kind: 'assertion', assertion: await assertionFor(registry, command, context) };
    case 'list':
      return { kind: 'list', clients: await registry.listClients() };
    case 'show':
      return { kind: 'client', client: await registry.getClient(command.clientId) };
    case 'rotate-secret': {
      const options = command.expiresInSeconds === undefined ? {} : { expiresInSeconds: command.expiresInSeconds };
      return { kind: 'rotated', issued: await registry.rotateSecret(command.clientId, options) };
    }
    case 'remove-secret': {
      const client = await registry.removeSecret(command.clientId, command.secretId, { force: command.force });
      return { kind: 'client', client, message: `Removed secret ${command.secretId} from client ${client.clientId}.` };
    }
    case 'disable': {
      const client = await registry.disableClient(command.clientId);
      return { kind: 'client', client, message: `Client ${client.clientId} is disabled: it gets no new tokens.${CUT_OFF_NOTE}` };
    }
    case 'enable': {
      const client = await registry.enableClient(command.clientId);
      return { kind: 'client', client, message: `Client ${client.clientId} is enabled. Tokens revoked before stay revoked.` };
    }
    case 'delete':
      await registry.deleteClient(command.clientId);
      return { kind: 'deleted', clientId: command.clientId, message: `Deleted client ${command.clientId}.${CUT_OFF_NOTE}` };
    case 'revoke-tokens': {
      const { issuedUpTo } = await registry.revokeTokens(command.clientId);
      const client = await registry.getClient(command.clientId);
      return {
        kind: 'client',
        client,
        message: `Revoked every token issued to ${client.clientId} up to ${issuedUpTo.toISOString()}; it stays active and can get new ones.${CUT_OFF_NOTE.replace(' Its tokens issued so far are', ' They are')}`,
      };
    }
  }
}

async function readJsonFile(file: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${option}: ${file} is not JSON (expected a JWK Set: {"keys": [ … ]})`);
  }
}

/**
 * Signs a one-time assertion with the client's private key, after checking that the key is one the client
 * registered: a mismatch is reported here rather than as a bare invalid_client from the token endpoint.
 */
async function assertionFor(
  registry: ClientRegistry,
  command: Extract<Command, { name: 'assertion' }>,
  { connection, now }: { connection: Connection; now: () => Date },
) {
  const client = await registry.getClient(command.clientId);
  if (!usesPrivateKeyJwt(client)) throw new WrongAuthMethod(client.clientId, client.authMethod ?? 'client_secret_basic', 'keys to sign assertions with');
  let text: string;
  try {
    text = await readFile(command.keyFile, 'utf8');
  } catch (error) {
    throw new UsageError(`--key: cannot read ${command.keyFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { key, kid: fileKid } = readPrivateKey(text, command.keyFile);
  const registered = registeredKeyFor(key, client.jwks ?? []);
  if (registered === undefined) {
    throw new UsageError(`the key in ${command.keyFile} is not one of the keys of client ${client.clientId}; register it with set-keys first`);
  }
  const audience = command.audience ?? connection.issuer;
  if (audience === undefined) throw new UsageError('the stack issuer is unknown here (--table): give the audience with --aud URL');
  const keyType = key.asymmetricKeyType;
  const alg = command.alg ?? registered.alg ?? (keyType === 'ec' ? 'ES256' : 'RS256');
  if ((alg === 'ES256') !== (keyType === 'ec')) throw new UsageError(`--alg ${alg} does not fit a ${keyType?.toUpperCase() ?? 'unknown'} key`);
  const kid = command.kid ?? registered.kid ?? fileKid ?? derivedKid(key);
  return makeClientAssertion({ key, kid, alg, clientId: client.clientId, audience, now: now() });
}

function report(error: unknown, connection: Connection | undefined, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`error: ${error.message}\n${USAGE_HINT}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ValidationError) {
    io.stderr(`error: invalid client settings: ${error.issues.map(inFlagNames).join('; ')}\n${USAGE_HINT}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof LocalStackNotRunning) {
    io.stderr(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ClientStorageUnavailable) {
    const hint = connection?.local === true ? '\nIs the local stack still running? Start it with: npm start' : '';
    io.stderr(`error: cannot use the clients table of the ${connection?.description ?? 'stack'}: ${error.message}${hint}\n`);
    return EXIT_FAILURE;
  }
  if (error instanceof AuditTrailUnavailable || error instanceof AuditRecordNotWritten) {
    io.stderr(`error: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  if (error instanceof ClientRegistryError || error instanceof ConnectionError || error instanceof CorruptClientRecord) {
    io.stderr(`error: ${error.message}\n${nextStep(error)}`);
    return EXIT_FAILURE;
  }
  io.stderr(`error: unexpected failure\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}

function nextStep(error: Error): string {
  if (error instanceof SecretLimitReached) {
    return `See its secret ids with: npm run clients -- show ${error.clientId}\nthen: npm run clients -- remove-secret ${error.clientId} SECRET_ID\n`;
  }
  if (error instanceof LastSecretProtected) return 'To remove it anyway, add --force.\n';
  if (error instanceof WrongAuthMethod) {
    return error.authMethod === 'private_key_jwt'
      ? `Replace its public keys with: npm run clients -- set-keys ${error.clientId} --jwks FILE\n`
      : 'Secret clients rotate secrets: npm run clients -- rotate-secret ID\n';
  }
  return '';
}

// The registry names the fields of its input (RFC 7591-style settings); the person typing knows the flags.
const FLAG_OF_FIELD: Record<string, string> = {
  name: '--name',
  scopes: '--scopes',
  defaultScopes: '--default-scopes',
  audiences: '--audience',
  defaultAudience: '--default-audience',
  ttlSeconds: '--ttl',
  expiresInSeconds: '--expires-in',
  authMethod: '--auth-method',
  jwks: '--jwks',
  claims: '--claim',
};

function inFlagNames(issue: string): string {
  return issue.replace(/^([A-Za-z]+)((?:\[\d+\])?)(?=[:.[ ])/, (whole, field: string, index: string) => {
    const flag = FLAG_OF_FIELD[field];
    return flag === undefined ? whole : `${flag}${index === '' ? '' : ` (value ${Number(index.slice(1, -1)) + 1})`}`;
  });
}
