import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesActiveSecret } from '#shared/clients/client-secrets.js';
import type { ClientRepository } from '#shared/clients/client-repository.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import type { StackInfo } from '../../local/stack-info.js';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../support/template-table.js';
import { startClientsTable, type ClientsTableFixture } from './clients-table.js';
import { startStsStandIn } from '../support/sts-stand-in.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AUDIENCE = 'urn:oauth-cc:products';
const STACK_TRACE = /\n\s+at /;
// Each step starts a Node process (about a second, more on a busy machine).
const SPAWNING = { timeout: 90_000 };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let table: ClientsTableFixture;
let repository: ClientRepository;
let dir: string;
let stackFile: string;

/** `npm run clients -- …` as a separate process, against the test's dynalite through a stack file. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/clients.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, OAUTH_STACK_FILE: stackFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const revocations = () => dynamoRevocationStore(table.documentClient, table.revocationsTable);

async function stored(clientId: string): Promise<RegisteredClient> {
  const client = await repository.get(clientId);
  if (client === undefined) throw new Error(`client ${clientId} is not in the table`);
  return client;
}

async function secretWorks(clientId: string, secret: string): Promise<boolean> {
  return matchesActiveSecret(secret, (await stored(clientId)).secrets, new Date());
}

function json(run: Run): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  table = await startClientsTable();
  repository = dynamoClientRepository({ documentClient: table.documentClient, tableName: table.tableName });
  dir = await mkdtemp(join(tmpdir(), 'clients-cli-'));
  stackFile = join(dir, 'stack.json');
  const stack: Partial<StackInfo> = {
    region: table.region,
    dynamodbEndpoint: table.endpoint,
    clientsTable: table.tableName,
    revocationsTable: table.revocationsTable,
    audience: AUDIENCE,
    demoClientId: 'unused',
    pid: process.pid,
  };
  await writeFile(stackFile, JSON.stringify(stack));
});

afterAll(async () => {
  await table?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('npm run clients: a client through its life', SPAWNING, () => {
  let clientId: string;
  let firstSecret: string;
  let firstSecretId: string;
  let secondSecret: string;
  let secondSecretId: string;

  it('create --json prints client_id, client_secret and secret_id once, and stores only the hash', async () => {
    const created = json(await cli(['create', '--json', '--name', 'Nightly export', '--scopes', 'products:read products:write', '--default-scopes', 'products:read']));

    expect(Object.keys(created).sort()).toEqual(['client', 'client_id', 'client_secret', 'secret_id']);
    clientId = String(created.client_id);
    firstSecret = String(created.client_secret);
    firstSecretId = String(created.secret_id);
    expect(firstSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.client).toMatchObject({
      clientId,
      name: 'Nightly export',
      status: 'active',
      allowedScopes: ['products:read', 'products:write'],
      defaultScopes: ['products:read'],
      allowedAudiences: [AUDIENCE],
      defaultAudience: AUDIENCE,
      tokenLifetimeSeconds: 3600,
      secrets: [{ secretId: firstSecretId, expired: false }],
    });
    expect(JSON.stringify(created.client)).not.toMatch(/hash|sha256:/);

    expect(await secretWorks(clientId, firstSecret)).toBe(true);
    expect(JSON.stringify(await stored(clientId))).not.toContain(firstSecret);
  });

  it('create prints the secret for people with a warning that it will not be shown again', async () => {
    const run = await cli(['create', '--name', 'Dashboard', '--scopes', 'products:read', '--audience', 'https://api.example.com', '--ttl', '600']);
    expect(run.code, run.stderr).toBe(0);
    const secret = /client_secret:\s+(\S+)/.exec(run.stdout)?.[1];
    const id = /client_id:\s+(\S+)/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain('will not be shown again');
    expect(await secretWorks(id ?? '', secret ?? '')).toBe(true);
    expect(await stored(id ?? '')).toMatchObject({ allowedAudiences: ['https://api.example.com'], tokenLifetimeSeconds: 600 });
  });

  it('show and list never print a secret or a hash', async () => {
    const hash = (await stored(clientId)).secrets[0]?.hash ?? 'no hash';
    const runs = [await cli(['show', clientId]), await cli(['show', clientId, '--json']), await cli(['list']), await cli(['list', '--json'])];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(clientId);
      expect(run.stdout).not.toContain(firstSecret);
      expect(run.stdout).not.toContain(hash);
      expect(run.stdout).not.toMatch(/hash/i);
    }
    expect(runs[0]?.stdout).toContain(firstSecretId);
    expect(JSON.parse(runs[1]?.stdout ?? '')).toMatchObject({ clientId, secrets: [{ secretId: firstSecretId }] });
    const listed = JSON.parse(runs[3]?.stdout ?? '') as { clients: { clientId: string }[] };
    expect(listed.clients.map((client) => client.clientId)).toContain(clientId);
    expect(listed.clients).toHaveLength(2);
  });

  it('rotate-secret adds a second secret; both work', async () => {
    const rotated = json(await cli(['rotate-secret', clientId, '--json']));
    expect(rotated).toMatchObject({ client_id: clientId, client: { clientId } });
    secondSecret = String(rotated.client_secret);
    secondSecretId = String(rotated.secret_id);
    expect(secondSecret).not.toBe(firstSecret);
    expect(await secretWorks(clientId, firstSecret)).toBe(true);
    expect(await secretWorks(clientId, secondSecret)).toBe(true);
  });

  it('rotate-secret refuses a third secret with exit 1 and says to remove one first', async () => {
    const run = await cli(['rotate-secret', clientId]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/already has 2 secrets; remove one first/);
    expect(run.stderr).toContain(`npm run clients -- remove-secret ${clientId} SECRET_ID`);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect((await stored(clientId)).secrets).toHaveLength(2);
  });

  it('remove-secret retires the old secret; the new one keeps working', async () => {
    const run = await cli(['remove-secret', clientId, firstSecretId]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Removed secret ${firstSecretId}`);
    expect(await secretWorks(clientId, firstSecret)).toBe(false);
    expect(await secretWorks(clientId, secondSecret)).toBe(true);
  });

  it('remove-secret refuses the last secret unless --force, and then warns', async () => {
    const refused = await cli(['remove-secret', clientId, secondSecretId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/without a working secret/);
    expect(refused.stderr).toContain('--force');
    expect(await secretWorks(clientId, secondSecret)).toBe(true);

    const forced = await cli(['remove-secret', clientId, secondSecretId, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/warning: client .* has no working secret/);
    expect((await stored(clientId)).secrets).toEqual([]);
  });

  it('rotate-secret --expires-in gives a client without secrets a new one, printed once', async () => {
    const run = await cli(['rotate-secret', clientId, '--expires-in', '60']);
    expect(run.code, run.stderr).toBe(0);
    const secret = /client_secret:\s+(\S+)/.exec(run.stdout)?.[1] ?? '';
    expect(run.stdout.split(secret)).toHaveLength(2);
    expect(run.stdout).toContain('will not be shown again');
    expect(await secretWorks(clientId, secret)).toBe(true);
  });

  it('disable and enable switch the status; disable cuts off the tokens issued so far, enable does not bring them back', async () => {
    const issuedBefore = { jti: 'before-disable', clientId, issuedAt: Math.floor(Date.now() / 1000) };
    expect(await revocations().isRevoked(issuedBefore)).toBe(false);
    expect(json(await cli(['disable', clientId, '--json']))).toMatchObject({ clientId, status: 'disabled' });
    expect((await stored(clientId)).status).toBe('disabled');
    expect(await revocations().isRevoked(issuedBefore)).toBe(true);
    const enabled = await cli(['enable', clientId]);
    expect(enabled.stdout).toContain(`Client ${clientId} is enabled. Tokens revoked before stay revoked.`);
    expect((await stored(clientId)).status).toBe('active');
    expect(await revocations().isRevoked(issuedBefore)).toBe(true);
  });

  it('revoke-tokens cuts off every token issued so far and leaves the client active', async () => {
    const other = String(json(await cli(['create', '--json', '--name', 'Leaky', '--scopes', 'products:read'])).client_id);
    const now = Math.floor(Date.now() / 1000);
    const revoked = await cli(['revoke-tokens', other]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked every token issued to ${other} up to `);
    expect(await revocations().isRevoked({ jti: 'x', clientId: other, issuedAt: now })).toBe(true);
    // Only that client: another's tokens are untouched, and so are this client's future ones.
    expect(await revocations().isRevoked({ jti: 'x', clientId, issuedAt: now + 3600 })).toBe(false);
    expect(await revocations().isRevoked({ jti: 'x', clientId: other, issuedAt: now + 3600 })).toBe(false);
    expect((await stored(other)).status).toBe('active');
  });

  it('create --can-introspect grants the introspection permission, and show says so', async () => {
    const created = json(await cli(['create', '--json', '--name', 'Gateway', '--scopes', 'products:read', '--can-introspect']));
    const id = String(created.client_id);
    expect((await stored(id)).canIntrospect).toBe(true);
    expect((await cli(['show', id])).stdout).toContain('introspection:     allowed');
    expect((await cli(['show', clientId])).stdout).toContain('introspection:     not allowed');
  });

  it('delete removes the client; afterwards it is not found (exit 1)', async () => {
    const other = await cli(['create', '--json', '--name', 'Short-lived', '--scopes', 'products:read']);
    const otherId = String(json(other).client_id);
    const deleted = await cli(['delete', otherId]);
    expect(deleted.stdout).toBe(`Deleted client ${otherId}. Its tokens issued so far are refused: at once where the gateway has no cached decision, otherwise within the authorizer cache TTL.\n`);

    expect(json(await cli(['delete', clientId, '--json']))).toEqual({ client_id: clientId, deleted: true });
    expect(await repository.get(clientId)).toBeUndefined();
    for (const args of [['show', clientId], ['delete', clientId]]) {
      const run = await cli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`client "${clientId}" does not exist`);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    }
  });
});

describe('npm run clients --aws', SPAWNING, () => {
  // The SDK's standard endpoint variable points the default chain at dynalite, as it would at AWS.
  // STS GetCallerIdentity names the actor of each audited change; a stand-in answers it as STS would (Query protocol).
  const CALLER = 'arn:aws:sts::111122223333:assumed-role/Operators/alice';
  let sts: Awaited<ReturnType<typeof startStsStandIn>>;
  beforeAll(async () => {
    sts = await startStsStandIn(CALLER);
  });
  afterAll(() => sts.close());

  const awsEnv = () => ({
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: table.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    OAUTH_STACK_FILE: join(dir, 'ignored-with-aws.json'),
  });

  it('manages the table named by --table, requiring --audience since no stack outputs are read', async () => {
    const auditTable = `AuditTable-${randomUUID()}`;
    await table.dynamodb.send(new CreateTableCommand({ TableName: auditTable, BillingMode: 'PAY_PER_REQUEST', ...(await tableDefinition('AuditTable')) }));
    const created = json(
      await cli(['create', '--aws', '--table', table.tableName, '--audit-table', auditTable, '--json', '--name', 'Deployed', '--scopes', 'products:read', '--audience', 'urn:prod:api'], awsEnv()),
    );
    expect(await stored(String(created.client_id))).toMatchObject({ allowedAudiences: ['urn:prod:api'], tokenLifetimeSeconds: 3600 });
    // On AWS a change without an audit table to record it in is refused.
    const unaudited = await cli(['disable', String(created.client_id), '--aws', '--table', table.tableName], awsEnv());
    expect(unaudited.code).toBe(1);
    expect(unaudited.stderr).toMatch(/no audit table, so "disable" is refused/);
    expect((await stored(String(created.client_id))).status).toBe('active');
    const trail = json(await cli(['audit', String(created.client_id), '--aws', '--table', table.tableName, '--audit-table', auditTable, '--json'], awsEnv()));
    expect(trail).toEqual([expect.objectContaining({ action: 'create', actor: CALLER, clientId: created.client_id })]);

    const withoutAudience = await cli(['create', '--aws', '--table', table.tableName, '--audit-table', auditTable, '--name', 'Deployed', '--scopes', 'products:read'], awsEnv());
    expect(withoutAudience.code).toBe(2);
    expect(withoutAudience.stderr).toMatch(/--audience: at least one audience is required/);
  });

  it('explains what is missing when stack outputs cannot be read', async () => {
    const run = await cli(['list', '--aws', '--stack-name', 'oauth-cc'], awsEnv());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: (reading stack outputs needs @aws-sdk\/client-cloudformation|cannot read the outputs of stack "oauth-cc")/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('npm run clients: failures', SPAWNING, () => {
  it('prints usage for help (exit 0) and a hint for no command (exit 2)', async () => {
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run clients -- <command>');
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Run "npm run clients -- help" for usage.');
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['list', '--verbose'], /error: unknown option --verbose\n/],
    [['create', '--name', 'N', '--scope', 'a'], /error: unknown option --scope \(did you mean --scopes\?\)\n/],
    [['create', '--name', 'N', '--scopes'], /--scopes needs a value/],
    [['create', '--name', 'N', '--scopes', 'products:read bad"scope'], /"bad\\"scope" is not a valid scope token/],
    [['create', '--name', 'N', '--scopes', 'a', '--audience', 'not a uri'], /not an absolute URI/],
    [['create', '--name', 'N', '--scopes', 'a', '--ttl', '86401'], /invalid client settings: --ttl: must be at most 86400/],
    [['create', '--name', 'N', '--scopes', 'a', '--default-scopes', 'b'], /invalid client settings: --default-scopes: b not among the allowed scopes/],
  ])('exits 2 with a message and a usage hint for %j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('for usage');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('says which options npm kept for itself when they were given without --', async () => {
    // `npm run clients create --name N --scopes a`: npm keeps both as its settings and passes only "create".
    const run = await cli(['create'], { npm_lifecycle_event: 'clients', npm_config_name: 'N', npm_config_scopes: 'a' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'error: npm kept --name, --scopes for itself, so this script never saw them: put -- between the script name and its arguments, as in npm run clients -- <arguments>',
    );
    // Not when another npm script (npm test, say) started this one with its own settings.
    const nested = await cli(['help'], { npm_lifecycle_event: 'test', npm_config_json: 'true' });
    expect(nested.code).toBe(0);
  });

  it('exits 2 telling to run npm start when the local stack is not running', async () => {
    const run = await cli(['list', '--stack-file', join(dir, 'absent.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: local stack not running: run npm start/);
  });

  it('exits 1 with a clear message when DynamoDB cannot be reached', async () => {
    const deadStack = join(dir, 'dead-stack.json');
    await writeFile(deadStack, JSON.stringify({ region: 'us-east-1', dynamodbEndpoint: 'http://127.0.0.1:9', clientsTable: 'clients', revocationsTable: 'revocations', audience: AUDIENCE }));
    const run = await cli(['list'], { OAUTH_STACK_FILE: deadStack });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot use the clients table of the local stack \(DynamoDB at http:\/\/127.0.0.1:9\)/);
    expect(run.stderr).toContain('npm start');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
