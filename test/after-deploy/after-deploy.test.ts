import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeClientRegistry } from '#shared/clients/client-registry.js';
import { matchSecret } from '#shared/clients/client-secrets.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import { FunctionRuntime } from '../../local/runtime/function-runtime.js';
import { runningStackFunctions } from '../../local/stack/local-stack.js';
import { applyEnvironmentOverrides } from '../../local/template/index.js';
import { readSamconfigRegion } from '../../scripts/samconfig/deploy-target.js';
import { runAfterDeploy } from '../../scripts/after-deploy/run.js';
import { StackOutputsUnavailable, type StackOutputsSource } from '../../scripts/clients/stack-outputs.js';
import { invokeOnce } from '../../scripts/invoke/invoke-once.js';
import type { PostmanEnvironment } from '../../scripts/postman/postman-environment.js';
import { postmanEnvironment } from '../../scripts/postman/postman-environment.js';
import { EVENTS_DIR, readJson, withHeader } from '../events/fixture-files.js';
import { PROJECT_ROOT } from '../invoke/script-process.js';
import { basicAuthorization, testStack } from '../support/stack-clients.js';
import { tableDefinition } from '../support/template-table.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import { startStsStandIn } from '../support/sts-stand-in.js';

/**
 * `npm run after-deploy` against a stand-in for a deployed stack: CloudFormation outputs from a fake
 * source, and a clients table of its own in the test stack's DynamoDB (so the shared clients table, whose
 * postman-* clients other suites use, is never touched). The SDK reaches it through the standard
 * AWS_ENDPOINT_URL_DYNAMODB variable, as it would reach the real service without it.
 */
let projectRoot: string;
let clientsTable: string;
const reads: string[] = [];

const outputs = (): Record<string, string> => ({
  ApiUrl: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1',
  TokenEndpoint: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1/oauth2/token',
  Issuer: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1',
  ClientsTableName: clientsTable,
  RevocationsTableName: testStack().revocationsTable,
  AuditTableName: testStack().auditTable ?? '',
  DefaultAudience: testStack().audience,
  DefaultTokenLifetimeSeconds: '900',
});

const fakeOutputs = (values: () => Record<string, string>): StackOutputsSource => ({
  async read(stackName, region) {
    reads.push(`${region}/${stackName}`);
    if (stackName !== 'shop-auth') throw new StackOutputsUnavailable(`cannot read the outputs of stack "${stackName}": Stack with id ${stackName} does not exist`);
    return values();
  },
});

async function afterDeploy(argv: readonly string[], stackOutputs = fakeOutputs(outputs)) {
  let stdout = '';
  let stderr = '';
  const code = await runAfterDeploy(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} }, { projectRoot, stackOutputs });
  return { code, stdout, stderr };
}

const registry = () => {
  const stack = testStack();
  const dynamodb = new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const documentClient = DynamoDBDocumentClient.from(dynamodb);
  return makeClientRegistry({
    repository: dynamoClientRepository({ documentClient, tableName: clientsTable }),
    revocations: dynamoRevocationStore(documentClient, stack.revocationsTable),
  });
};

const variables = (environment: PostmanEnvironment): Record<string, string> => Object.fromEntries(environment.values.map(({ key, value }) => [key, value]));

beforeAll(async () => {
  const stack = testStack();
  projectRoot = await mkdtemp(join(tmpdir(), 'oauth-cc-after-deploy-'));
  await writeFile(join(projectRoot, 'samconfig.toml'), 'version = 0.1\n[default.global.parameters]\nstack_name = "shop-auth"\n[default.deploy.parameters]\nregion = "us-east-1"\n');
  clientsTable = `deployed-clients-${randomUUID()}`;
  const dynamodb = new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  await dynamodb.send(new CreateTableCommand({ TableName: clientsTable, BillingMode: 'PAY_PER_REQUEST', ...(await tableDefinition('ClientsTable')) }));
  dynamodb.destroy();
});

// Every change after-deploy makes is audited under the caller STS names, as on AWS.
let sts: Awaited<ReturnType<typeof startStsStandIn>>;
beforeAll(async () => {
  sts = await startStsStandIn('arn:aws:sts::111122223333:assumed-role/Deployer/ci');
});
afterAll(() => sts.close());

beforeEach(() => {
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', testStack().dynamodbEndpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'deployer');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'deployer');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(projectRoot, { recursive: true, force: true });
});

describe('npm run after-deploy', () => {
  const envFile = () => join(projectRoot, 'postman', 'shop-auth.generated.postman_environment.json');

  it('reads the stack named in samconfig.toml once, in its region, creates the clients and writes an owner-only environment', async () => {
    reads.length = 0;
    const run = await afterDeploy([]);
    expect(run.code, run.stderr).toBe(0);
    expect(reads).toEqual(['us-east-1/shop-auth']);
    expect((await stat(envFile())).mode & 0o777).toBe(0o600);

    const environment = JSON.parse(await readFile(envFile(), 'utf8')) as PostmanEnvironment;
    const values = variables(environment);
    expect(values).toMatchObject({
      baseUrl: outputs().ApiUrl,
      tokenUrl: outputs().TokenEndpoint,
      audience: testStack().audience,
      clientId: 'postman-rw',
      readOnlyClientId: 'postman-ro',
      adminClientId: 'postman-admin',
    });
    expect(environment.values.filter((v) => v.type === 'secret').map((v) => v.key)).toEqual(['clientSecret', 'readOnlyClientSecret', 'adminClientSecret']);

    const stored = await registry().getClient('postman-rw');
    expect(matchSecret(values.clientSecret!, stored.secrets, new Date())).toBe('active');
    expect(stored).toMatchObject({ allowedScopes: ['products:read', 'products:write'], tokenLifetimeSeconds: 900, defaultAudience: testStack().audience });
    expect(run.stdout).toContain(`client_secret  ${values.clientSecret}`);
    expect(run.stdout).toContain(`curl -s -u 'postman-rw:${values.clientSecret}' -d grant_type=client_credentials ${outputs().TokenEndpoint}`);
  });

  it('writes the variables npm run postman:env writes for the local stack, under its own id and name', async () => {
    const deployed = JSON.parse(await readFile(envFile(), 'utf8')) as PostmanEnvironment;
    const credential = { clientId: 'x', clientSecret: 'y', scopes: [], outcome: 'created' as const };
    const local = postmanEnvironment(
      { apiUrl: 'http://localhost:3000', tokenEndpoint: 'http://localhost:3000/oauth2/token', audience: 'a' },
      { readWrite: credential, readOnly: credential, admin: credential },
    );
    expect(deployed.values.map(({ key, type }) => [key, type])).toEqual(local.values.map(({ key, type }) => [key, type]));
    expect(deployed.id).not.toBe(local.id);
    expect(deployed.name).toBe('oauth-cc shop-auth (deployed)');
  });

  it('gives a client whose credentials a token endpoint reading that table accepts', async () => {
    const values = variables(JSON.parse(await readFile(envFile(), 'utf8')) as PostmanEnvironment);
    const { template, baseEnv } = await runningStackFunctions(testStack());
    const runtime = new FunctionRuntime(applyEnvironmentOverrides(template, { TokenFunction: { CLIENTS_TABLE: clientsTable } }), { baseEnv, log: () => {} });
    try {
      const stable = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'token/bad-secret.json'));
      const invocation = await invokeOnce(runtime, 'TokenFunction', withHeader(stable, 'Authorization', basicAuthorization(values.clientId!, values.clientSecret!)));
      expect(invocation.exitCode).toBe(0);
      expect(invocation).toMatchObject({ result: { statusCode: 200 } });
    } finally {
      await runtime.close();
    }
  });

  it('on a second run gives the same clients new secrets; the old ones stop working', async () => {
    const before = variables(JSON.parse(await readFile(envFile(), 'utf8')) as PostmanEnvironment);
    const run = await afterDeploy(['--stack-name', 'shop-auth', '--region', 'us-east-1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('given a new secret');
    const after = variables(JSON.parse(await readFile(envFile(), 'utf8')) as PostmanEnvironment);
    expect(after.clientSecret).not.toBe(before.clientSecret);
    const stored = await registry().getClient('postman-rw');
    expect(matchSecret(before.clientSecret!, stored.secrets, new Date())).toBe('none');
    expect(matchSecret(after.clientSecret!, stored.secrets, new Date())).toBe('active');
  });

  it('honours --out', async () => {
    const out = join(projectRoot, 'elsewhere.json');
    expect((await afterDeploy(['--out', out])).code).toBe(0);
    expect(variables(JSON.parse(await readFile(out, 'utf8')) as PostmanEnvironment).baseUrl).toBe(outputs().ApiUrl);
  });

  it('exits 1 naming the outputs a stack lacks', async () => {
    const { ClientsTableName: _dropped, ...partial } = outputs();
    const run = await afterDeploy([], fakeOutputs(() => partial));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('stack "shop-auth" has no ClientsTableName output');
  });

  it('exits 1 when the stack cannot be read', async () => {
    const run = await afterDeploy(['--stack-name', 'no-such-stack']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Stack with id no-such-stack does not exist');
  });

  it('exits 2 without a stack name from the command line or samconfig.toml', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'oauth-cc-no-samconfig-'));
    try {
      let stderr = '';
      const code = await runAfterDeploy([], { stdout: () => {}, stderr: (text) => (stderr += text), env: {} }, { projectRoot: bare, stackOutputs: fakeOutputs(outputs) });
      expect(code).toBe(2);
      expect(stderr).toContain('no stack name');
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it("reads the project's samconfig.toml region", async () => {
    expect(readSamconfigRegion(await readFile(join(PROJECT_ROOT, 'samconfig.toml'), 'utf8'))).toBe('us-east-1');
  });
});
