import { hostname, userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientNotFound } from '../../shared/clients/client-registry-errors.js';
import { makeClientRegistry, type ClientRegistry, type IssuedSecret } from '../../shared/clients/client-registry.js';
import { auditedRegistry } from '../../shared/audit/audited-registry.js';
import { dynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { dynamoClientRepository } from '../../shared/clients/dynamo-client-repository.js';
import { dynamoProductStore } from '../../functions/products/dynamo-product-store.js';
import { seedProducts } from '../../functions/products/seed.js';
import { ensureTables } from '../dynamodb/create-tables.js';
import { startDynamoDb } from '../dynamodb/start-dynamodb.js';
import { startGateway } from '../gateway/server.js';
import { startKmsEmulator } from '../kms/server.js';
import { emfCounters, METRICS_FILE } from '../metrics/emf-counters.js';
import { findFreePort } from '../net/free-port.js';
import { consoleLogSink, type LogSink } from '../runtime/log-sink.js';
import type { StackInfo } from '../stack-info.js';
import { ALL_FUNCTIONS, applyEnvironmentOverrides, loadTemplate, type LoadedTemplate, type ResolutionInputs } from '../template/index.js';
import { assertPortFree } from './port-in-use.js';
import { acquireStackLock } from './stack-lock.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import {
  activeSlot,
  ensureActiveKey,
  keySlotParameters,
  keySlotResources,
  readKeySlots,
  writeKeySlots,
  type KeySlots,
} from './signing-key-slots.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_TEMPLATE = join(PROJECT_ROOT, 'template.yaml');
export const DEMO_CLIENT_ID = 'demo-client';
export const DEMO_CLIENT_SCOPES = ['products:read', 'products:write'];

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_STACK_NAME = 'oauth-cc';
// The emulators accept any signature; the SDK still needs credentials to sign with.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalStackOptions {
  /** Where tables, keys and stack.json live (default `.local/` in the project). */
  dataDir?: string;
  templatePath?: string;
  /** API port; 0 picks a free one. Default 3000. */
  port?: number;
  host?: string;
  /** Token issuer; default http://localhost:<port>. */
  issuer?: string;
  /** Emulator ports; free ones when absent. */
  dynamodbPort?: number;
  kmsPort?: number;
  /** Every function log line and gateway request line. Default: the console. */
  log?: LogSink;
  /** Template parameters besides the issuer and key slots (a benchmark lifts the token route's throttling). */
  parameterOverrides?: Readonly<Record<string, string>>;
}

export interface RunningLocalStack {
  info: StackInfo;
  /** The demo client's secret, new at every start (secrets are stored hashed and shown once). */
  demoClient: { clientId: string; clientSecret: string };
  /** Re-reads the key slots (after a rotation step) and restarts the functions with the new keys. */
  reloadSigningKeys(): Promise<StackInfo>;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB (dynalite), the KMS emulator and the API Gateway emulator serving template.yaml,
 * creates what the template declares (tables; the signing key in its slot), seeds the demo client and
 * products on first start, and writes `<dataDir>/stack.json`. The functions run unchanged: they reach
 * the emulators only through AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_KMS.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<RunningLocalStack> {
  const dataDir = resolve(options.dataDir ?? join(PROJECT_ROOT, '.local'));
  const templatePath = options.templatePath ?? DEFAULT_TEMPLATE;
  const host = options.host ?? '127.0.0.1';
  if (options.port !== 0) await assertPortFree(options.port ?? 3000, host);
  const createdDataDir = !existsSync(dataDir);
  await mkdir(dataDir, { recursive: true });
  const lock = await acquireStackLock(dataDir);
  const stops: (() => Promise<void>)[] = [() => lock.release()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };

  try {
    const dynamodb = await startDynamoDb({ path: join(dataDir, 'dynamodb'), port: options.dynamodbPort, host });
    stops.push(() => dynamodb.close());
    const kms = await startKmsEmulator({ dataDir, port: options.kmsPort, host, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT });
    stops.push(() => kms.close());

    const sdk = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const kmsClient = new KMSClient({ ...sdk, endpoint: kms.endpoint });
    const dynamoClient = new DynamoDBClient({ ...sdk, endpoint: dynamodb.endpoint });
    const documentClient = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
    stops.push(async () => {
      kmsClient.destroy();
      dynamoClient.destroy();
    });

    let slots = await ensureActiveKey(kmsClient, await readKeySlots(dataDir));
    await writeKeySlots(dataDir, slots);

    const port = options.port === 0 ? await findFreePort(host) : (options.port ?? 3000);
    const issuer = options.issuer ?? `http://localhost:${port}`;
    const endpoints: LocalEndpoints = { dynamodb: dynamodb.endpoint, kms: kms.endpoint };
    const load = (keySlots: KeySlots): Promise<LoadedTemplate> => loadLocalTemplate(templatePath, issuer, keySlots, endpoints, options.parameterOverrides);
    let template = await load(slots);

    const clientsTable = tableName(template, 'ClientsTable');
    const productsTable = tableName(template, 'ProductsTable');
    const revocationsTable = tableName(template, 'RevocationsTable');
    const auditTable = template.tables.AuditTable?.input.TableName;
    const created = await ensureTables(dynamoClient, Object.values(template.tables).map((table) => table.input));
    if (created.includes(productsTable)) await seedProducts(dynamoProductStore({ client: documentClient, tableName: productsTable }));

    const audience = parameterValue(template, 'DefaultAudience');
    const registry = makeClientRegistry({
      repository: dynamoClientRepository({ documentClient, tableName: clientsTable }),
      revocations: dynamoRevocationStore(documentClient, revocationsTable),
      defaults: { audience, tokenLifetimeSeconds: Number(parameterValue(template, 'DefaultTokenLifetimeSeconds')) },
    });
    // The demo client's new secret is a registry change like any other: it goes into the audit trail, by `npm start`.
    const demo = await issueDemoSecret(
      auditTable === undefined
        ? registry
        : auditedRegistry(registry, { audit: dynamoAuditLog({ documentClient, tableName: auditTable }), actor: async () => `${userInfo().username}@${hostname()} (npm start)` }),
    );

    // Functions write their EMF records to stdout, as on Lambda; the stack also keeps their totals for `npm run metrics`.
    const counters = emfCounters(join(dataDir, METRICS_FILE));
    const sink = options.log ?? consoleLogSink;
    stops.push(() => counters.flush());
    const gateway = await startGateway({
      template,
      port,
      host,
      log: (source, line, stream) => {
        sink(source, line, stream);
        if (stream === 'stdout') counters.observe(line);
      },
      baseEnv: localFunctionEnv(endpoints),
    });
    stops.push(() => gateway.close());

    const apiUrl = `http://localhost:${gateway.port}`;
    const describe = (keySlots: KeySlots): StackInfo => ({
      apiUrl,
      issuer,
      tokenEndpoint: `${apiUrl}/oauth2/token`,
      revocationEndpoint: `${apiUrl}/oauth2/revoke`,
      introspectionEndpoint: `${apiUrl}/oauth2/introspect`,
      jwksUri: `${apiUrl}/.well-known/jwks.json`,
      region: LOCAL_REGION,
      dynamodbEndpoint: dynamodb.endpoint,
      kmsEndpoint: kms.endpoint,
      clientsTable,
      productsTable,
      revocationsTable,
      ...(auditTable === undefined ? {} : { auditTable }),
      signingKeyId: keySlots[activeSlot(keySlots)!]!.arn,
      verifyKeyIds: Object.values(keySlots).map((slot) => slot.arn),
      audience,
      demoClientId: demo.client.clientId,
      dataDir,
      pid: process.pid,
    });
    const stackFile = join(dataDir, 'stack.json');
    let info = describe(slots);
    await writeJsonAtomically(stackFile, info);
    stops.push(() => rm(stackFile, { force: true }));

    return {
      info,
      demoClient: { clientId: demo.client.clientId, clientSecret: demo.clientSecret },
      async reloadSigningKeys() {
        slots = await readKeySlots(dataDir);
        template = await load(slots);
        await gateway.reload({ template });
        info = describe(slots);
        await writeJsonAtomically(stackFile, info);
        return info;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    // A first start that failed leaves nothing behind: the next one must not find half-created keys or tables.
    if (createdDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Where a local stack's emulators listen. */
export interface LocalEndpoints {
  dynamodb: string;
  kms: string;
}

/** The template inputs of a local stack: its issuer, its key slots, and the local account and region. */
export function localResolutionInputs(issuer: string, slots: KeySlots, parameterOverrides: Readonly<Record<string, string>> = {}): ResolutionInputs {
  return {
    parameterOverrides: { ...parameterOverrides, IssuerUrl: issuer, ...keySlotParameters(slots) },
    pseudoParameters: { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT, stackName: LOCAL_STACK_NAME },
    resources: keySlotResources(slots),
  };
}

/** The SDK's per-service endpoint variables, pointed at the emulators. */
function endpointVariables(endpoints: LocalEndpoints): Record<string, string> {
  return { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb, AWS_ENDPOINT_URL_KMS: endpoints.kms };
}

/** What every local function environment gets besides the template's variables: region, credentials, endpoints. */
export function localFunctionEnv(endpoints: LocalEndpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    ...endpointVariables(endpoints),
    // Lambda runs Node 22; only this machine's Node 20 would trigger the SDK's upgrade notice.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * The template as the local stack serves it. A template that declares the endpoint variables (so that
 * `sam local invoke --env-vars` can set them) gets the emulators' endpoints in them, the way that file
 * would set them; otherwise they reach the functions through localFunctionEnv alone.
 */
export async function loadLocalTemplate(
  templatePath: string,
  issuer: string,
  slots: KeySlots,
  endpoints: LocalEndpoints,
  parameterOverrides?: Readonly<Record<string, string>>,
): Promise<LoadedTemplate> {
  const template = await loadTemplate(templatePath, localResolutionInputs(issuer, slots, parameterOverrides));
  return applyEnvironmentOverrides(template, { [ALL_FUNCTIONS]: endpointVariables(endpoints) });
}

/**
 * The functions of a running stack, exactly as its gateway runs them: for tools that invoke them directly
 * (`npm run invoke`, `npm run events`). Key slots are read from the stack's data directory, where the
 * stack and `npm run keys` keep them.
 */
export async function runningStackFunctions(
  info: StackInfo,
  templatePath: string = DEFAULT_TEMPLATE,
  parameterOverrides?: Readonly<Record<string, string>>,
): Promise<{ template: LoadedTemplate; baseEnv: Record<string, string> }> {
  const endpoints: LocalEndpoints = { dynamodb: info.dynamodbEndpoint, kms: info.kmsEndpoint };
  const template = await loadLocalTemplate(templatePath, info.issuer, await readKeySlots(info.dataDir), endpoints, parameterOverrides);
  return { template, baseEnv: localFunctionEnv(endpoints) };
}

function tableName(template: LoadedTemplate, logicalId: string): string {
  const name = template.tables[logicalId]?.input.TableName;
  if (name === undefined) throw new Error(`template.yaml declares no table ${logicalId}`);
  return name;
}

function parameterValue(template: LoadedTemplate, name: string): string {
  const value = template.parameters[name]?.value;
  if (value === undefined) throw new Error(`template.yaml declares no parameter ${name}`);
  return String(value);
}

/** The demo client gets a fresh secret at every start: secrets are stored only as hashes, so the old one cannot be shown again. */
async function issueDemoSecret(registry: ClientRegistry): Promise<IssuedSecret> {
  try {
    return await registry.resetSecrets(DEMO_CLIENT_ID);
  } catch (error) {
    if (!(error instanceof ClientNotFound)) throw error;
    return registry.createClient({ clientId: DEMO_CLIENT_ID, name: 'Demo client', scopes: DEMO_CLIENT_SCOPES });
  }
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}
