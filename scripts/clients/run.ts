import type { ClientRegistry } from '#shared/clients/client-registry.js';
import {
  ClientRegistryError,
  ClientStorageUnavailable,
  LastSecretProtected,
  SecretLimitReached,
  ValidationError,
} from '#shared/clients/client-registry-errors.js';
import { CorruptClientRecord } from '#shared/clients/dynamo-client-store.js';
import { AuditRecordNotWritten, AuditTrailUnavailable } from '#shared/audit/audited-registry.js';
import { renderAuditTrail, sinceTime } from './audit-output.js';
import { refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { OPTIONS, parseCliArgs, UsageError, type Command } from './args.js';
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
      const outcome = await execute(registry, request.command);
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

async function execute(registry: ClientRegistry, command: Exclude<Command, { name: 'help' | 'audit' }>): Promise<Outcome> {
  switch (command.name) {
    case 'create':
      return { kind: 'created', issued: await registry.createClient(command.input) };
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
};

function inFlagNames(issue: string): string {
  return issue.replace(/^([A-Za-z]+)((?:\[\d+\])?)(?=[:.[ ])/, (whole, field: string, index: string) => {
    const flag = FLAG_OF_FIELD[field];
    return flag === undefined ? whole : `${flag}${index === '' ? '' : ` (value ${Number(index.slice(1, -1)) + 1})`}`;
  });
}
