import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import newman from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTMAN_CLIENTS } from '../../scripts/postman/postman-clients.js';
import type { PostmanEnvironment } from '../../scripts/postman/postman-environment.js';
import { runPostmanEnvCli } from '../../scripts/postman/run.js';
import { createTestClient, requestToken, stackRegistry, testStack } from '../support/stack-clients.js';

/*
 * The collection and `npm run postman:env` are tested together, in this one file, because both use the
 * fixed postman-* clients: a re-run of the generator resets their secrets, which would break a newman run
 * going on in a parallel test file. Tests in a file run one after another, and each generates its own
 * environment right before it uses it.
 */

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COLLECTION_FILE = join(PROJECT_ROOT, 'postman', 'oauth-cc.postman_collection.json');
const PLACEHOLDER_ENVIRONMENT_FILE = join(PROJECT_ROOT, 'postman', 'local.postman_environment.json');
// A collection run is about twenty requests; the first calls start the functions.
const NEWMAN = { timeout: 120_000 };

interface CollectionItem {
  name: string;
  item?: CollectionItem[];
  event?: { listen: string; script: { exec: string[] } }[];
}

let dir: string;
let collection: CollectionItem;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oauth-cc-postman-'));
  collection = JSON.parse(await readFile(COLLECTION_FILE, 'utf8')) as CollectionItem;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Generated {
  code: number;
  stdout: string;
  stderr: string;
  file: string;
}

/** `npm run postman:env -- --stack-file … --out …`, in this process. */
async function postmanEnv(stackFile = join(testStack().dataDir, 'stack.json')): Promise<Generated> {
  const file = join(dir, `${randomUUID()}.postman_environment.json`);
  let stdout = '';
  let stderr = '';
  const code = await runPostmanEnvCli(
    ['--stack-file', stackFile, '--out', file],
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} },
    { projectRoot: PROJECT_ROOT },
  );
  return { code, stdout, stderr, file };
}

async function generateEnvironment(): Promise<{ file: string; environment: PostmanEnvironment }> {
  const generated = await postmanEnv();
  expect(generated.code, generated.stderr).toBe(0);
  return { file: generated.file, environment: JSON.parse(await readFile(generated.file, 'utf8')) as PostmanEnvironment };
}

function variable(environment: PostmanEnvironment, key: string): string {
  const found = environment.values.find((value) => value.key === key);
  if (found === undefined) throw new Error(`environment has no ${key}`);
  return found.value;
}

function withVariables(environment: PostmanEnvironment, changes: Record<string, string>): PostmanEnvironment {
  return { ...environment, values: environment.values.map((value) => (value.key in changes ? { ...value, value: changes[value.key]! } : value)) };
}

function runCollection(environment: string | PostmanEnvironment): Promise<newman.NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run({ collection: COLLECTION_FILE, environment, reporters: [], timeoutRequest: 15_000 }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    );
  });
}

/** Every request of the collection, in run order. */
function requestNames(item: CollectionItem): string[] {
  return item.item === undefined ? [item.name] : item.item.flatMap(requestNames);
}

/** The assertions the collection's scripts declare; none is conditional, so a full run executes each once. */
function declaredAssertions(item: CollectionItem): number {
  const own = (item.event ?? []).flatMap((event) => event.script.exec).join('\n').match(/\bpm\.test\(/g)?.length ?? 0;
  return own + (item.item ?? []).reduce((sum, child) => sum + declaredAssertions(child), 0);
}

/** `request › assertion` for failed assertions; `request › Error: message` for script and request errors. */
function failures(summary: newman.NewmanRunSummary): string[] {
  return summary.run.failures.map(({ error, source }) => `${source?.name ?? '(run)'} › ${error.test ?? `${error.name}: ${error.message}`}`);
}

describe('the Postman collection, run with newman against the local stack', () => {
  it('runs every request once, in order, and every assertion passes', NEWMAN, async () => {
    const { file } = await generateEnvironment();

    const summary = await runCollection(file);

    expect(failures(summary)).toEqual([]);
    expect(summary.run.executions.map((execution) => execution.item.name)).toEqual(requestNames(collection));
    expect(summary.run.executions.filter((execution) => execution.requestError !== undefined || execution.response === undefined)).toEqual([]);
    const assertions = declaredAssertions(collection);
    expect(assertions).toBeGreaterThanOrEqual(60);
    expect(summary.run.stats.assertions).toMatchObject({ total: assertions, failed: 0 });
    expect(summary.run.stats.requests).toMatchObject({ total: requestNames(collection).length, failed: 0 });
  });

  it('fails exactly the insufficient-scope assertions when the "read-only" client may write', NEWMAN, async () => {
    const { environment } = await generateEnvironment();
    const writer = await createTestClient({ name: 'postman: read-only by name only', scopes: ['products:read', 'products:write'] });

    const summary = await runCollection(withVariables(environment, { readOnlyClientId: writer.clientId, readOnlyClientSecret: writer.clientSecret }));

    expect(failures(summary)).toEqual([
      'Get read-only access token › scope is exactly products:read',
      'Create product with the read-only token → 403 › Status code is 403',
      'Create product with the read-only token → 403 › the challenge is Bearer error="insufficient_scope" (RFC 6750 §3.1)',
      'Create product with the read-only token → 403 › body is an insufficient_scope error (the route needs products:write)',
    ]);
    expect(summary.run.executions.map((execution) => execution.item.name)).toEqual(requestNames(collection));
  });
});

describe('npm run postman:env', () => {
  it('writes the stack URLs and the three postman clients, which get the scopes the collection expects', async () => {
    const { environment } = await generateEnvironment();
    const stack = testStack();

    expect({ baseUrl: variable(environment, 'baseUrl'), tokenUrl: variable(environment, 'tokenUrl'), audience: variable(environment, 'audience') }).toEqual({
      baseUrl: stack.apiUrl,
      tokenUrl: stack.tokenEndpoint,
      audience: stack.audience,
    });
    const roles = [
      ['clientId', 'clientSecret', 'products:read products:write'],
      ['readOnlyClientId', 'readOnlyClientSecret', 'products:read'],
      ['adminClientId', 'adminClientSecret', 'products:read products:write products:delete'],
    ] as const;
    for (const [idKey, secretKey, scope] of roles) {
      const response = await requestToken({ clientId: variable(environment, idKey), clientSecret: variable(environment, secretKey) });
      expect(response.status, idKey).toBe(200);
      expect(((await response.json()) as { scope: string }).scope, idKey).toBe(scope);
    }
    expect(environment.values.filter((value) => value.type === 'secret').map((value) => value.key)).toEqual([
      'clientSecret',
      'readOnlyClientSecret',
      'adminClientSecret',
      'clientAssertion',
    ]);
  });

  it('registers the private_key_jwt client with a new key, and its one-time assertion gets a token once', async () => {
    const { environment } = await generateEnvironment();
    const stored = await stackRegistry().getClient(variable(environment, 'keyClientId'));
    expect(stored).toMatchObject({ authMethod: 'private_key_jwt', secrets: [], allowedScopes: ['products:read'] });

    const post = () =>
      fetch(testStack().tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: variable(environment, 'clientAssertion'),
        }),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(401);

    // The private key is left in the stack's data directory, for `npm run clients -- assertion`.
    const key = JSON.parse(await readFile(join(testStack().dataDir, 'postman-key.jwk'), 'utf8')) as { kid: string; d?: string };
    expect(key.d).toBeDefined();
    expect(stored.jwks?.map((jwk) => jwk.kid)).toEqual([key.kid]);
  });

  it('keeps the client ids on a re-run but issues new secrets, so only the latest environment gets tokens', async () => {
    const first = (await generateEnvironment()).environment;
    const second = await postmanEnv();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Existing clients got new secrets');
    const latest = JSON.parse(await readFile(second.file, 'utf8')) as PostmanEnvironment;

    expect(variable(latest, 'clientId')).toBe(variable(first, 'clientId'));
    const client = (environment: PostmanEnvironment) => ({ clientId: variable(environment, 'clientId'), clientSecret: variable(environment, 'clientSecret') });
    expect((await requestToken(client(first))).status).toBe(401);
    expect((await requestToken(client(latest))).status).toBe(200);
  });

  it('replaces a postman client whose scopes no longer match what the collection expects', async () => {
    const { clientId } = POSTMAN_CLIENTS.readOnly;
    await stackRegistry().deleteClient(clientId).catch(() => undefined);
    await stackRegistry().createClient({ clientId, name: 'postman (read-only)', scopes: ['products:read', 'products:write'] });

    const { environment } = await generateEnvironment();

    const response = await requestToken({ clientId, clientSecret: variable(environment, 'readOnlyClientSecret') });
    expect(((await response.json()) as { scope: string }).scope).toBe('products:read');
    expect((await stackRegistry().getClient(clientId)).allowedScopes).toEqual(['products:read']);
  });

  it('says no stack is running when the stack file is missing', async () => {
    const missing = join(dir, 'no-such-stack.json');

    const generated = await postmanEnv(missing);

    expect(generated).toMatchObject({ code: 1, stdout: '' });
    expect(generated.stderr).toBe(`error: no local stack is running: start one with npm start (no ${missing})\n`);
  });

  it('says no stack is running when the stack file was left behind by a process that has exited', async () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    const stale = join(dir, 'stale-stack.json');
    const { demoClientSecret: _secret, logFile: _log, ...info } = testStack();
    await writeFile(stale, JSON.stringify({ ...info, pid: exited.pid }));

    const generated = await postmanEnv(stale);

    expect(generated.code).toBe(1);
    expect(generated.stderr).toMatch(new RegExp(`^error: no local stack is running: .* names process ${exited.pid}, which has exited; start one with npm start\\n$`));
  });

  it('has a committed environment with the same variables and placeholders instead of secrets', async () => {
    const { environment } = await generateEnvironment();
    const committed = JSON.parse(await readFile(PLACEHOLDER_ENVIRONMENT_FILE, 'utf8')) as PostmanEnvironment;

    expect(committed.values.map(({ key, type }) => ({ key, type }))).toEqual(environment.values.map(({ key, type }) => ({ key, type })));
    for (const secret of committed.values.filter((value) => value.type === 'secret')) {
      expect(secret.value, secret.key).toMatch(/^<secret: run npm run postman:env/);
    }
  });
});
