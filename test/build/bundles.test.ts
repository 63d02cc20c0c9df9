import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningStackFunctions } from '../../local/stack/local-stack.js';
import type { LoadedTemplate } from '../../local/template/index.js';
import { EVENTS_DIR, readJson, withHeader } from '../events/fixture-files.js';
import { runProcess, runScript, type ScriptRun } from '../invoke/script-process.js';
import { accessTokenFor, basicAuthorization, createTestClient, testStack } from '../support/stack-clients.js';

/**
 * `npm run build` produces the artefacts `sam build` would deploy. Each bundle is loaded in a fresh Node
 * process, with nothing but its own files and the environment the template gives the function (resolved
 * for the test stack), and invoked with a fixture against the stack.
 */
let outDir: string;
let build: ScriptRun;
let stack: { template: LoadedTemplate; baseEnv: Record<string, string> };

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'oauth-cc-build-'));
  build = await runScript('scripts/build.ts', ['--out-dir', outDir], { timeoutMs: 120_000 });
  stack = await runningStackFunctions(testStack());
}, 150_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

// Loads the bundle as Lambda's runtime does (an ES module import of <outdir>/handler.mjs), calls the
// exported handler once with the event and a Lambda-shaped context, and writes the result to a file.
const RUNNER = `
const [bundle, eventFile, resultFile] = process.argv.slice(1);
const { readFile, writeFile } = await import('node:fs/promises');
const { handler } = await import(bundle);
const event = JSON.parse(await readFile(eventFile, 'utf8'));
const deadline = Date.now() + 10_000;
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST', awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: '512', logGroupName: '/aws/lambda/x', logStreamName: 'x', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
let result;
try {
  result = await handler(event, context);
} catch (error) {
  result = { errorType: error.name, errorMessage: error.message };
}
// Not stdout: the function logs there, as it does in Lambda.
await writeFile(resultFile, JSON.stringify(result));
`;

async function invokeBundle(functionId: string, event: unknown, unset: readonly string[] = []): Promise<Record<string, unknown>> {
  const fn = stack.template.functions[functionId]!;
  const eventFile = join(outDir, `${functionId}.event.json`);
  const resultFile = join(outDir, `${functionId}.result.json`);
  await writeFile(eventFile, JSON.stringify(event));
  const bundle = pathToFileURL(join(outDir, functionId, 'handler.mjs')).href;
  // Only what Lambda would set: the function's variables, region, credentials, endpoints; not this process's env.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...stack.baseEnv, ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.functionName };
  for (const name of unset) delete env[name];
  const run = await runProcess('/usr/bin/env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, '--input-type=module', '-e', RUNNER, bundle, eventFile, resultFile], {
    timeoutMs: 30_000,
  });
  expect(run.code, run.stderr).toBe(0);
  return readJson<Record<string, unknown>>(resultFile);
}

describe('npm run build', () => {
  it('bundles every function to <out>/<LogicalId>/handler.mjs with its source map, and prints the sizes', async () => {
    expect(build.code, build.stderr).toBe(0);
    for (const id of Object.keys(stack.template.functions)) {
      expect(build.stdout).toMatch(new RegExp(`^${id}\\s+\\S+/${id}/\\s+handler\\.mjs [\\d.]+ (KiB|MiB), handler\\.mjs\\.map [\\d.]+ (KiB|MiB)$`, 'm'));
      const code = await readFile(join(outDir, id, 'handler.mjs'), 'utf8');
      // The Banner, first; the sourcemap comment, last (Sourcemap: true).
      expect(code.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);")).toBe(true);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=handler.mjs.map')).toBe(true);
      expect(code).not.toContain('#shared/');
    }
  });

  it('takes credentials from the environment only: no bundle carries the rest of the default chain', async () => {
    for (const id of Object.keys(stack.template.functions)) {
      const code = await readFile(join(outDir, id, 'handler.mjs'), 'utf8');
      expect(code, id).toContain('@aws-sdk/credential-provider-env - fromEnv');
      for (const link of ['defaultProvider::fromSSO', 'defaultProvider::fromIni', 'defaultProvider::remoteProvider']) expect(code, `${id}: ${link}`).not.toContain(link);
    }
  });

  it('bundles zod only into the products function, for its request bodies (configuration and client records are read by hand)', async () => {
    for (const id of Object.keys(stack.template.functions)) {
      const { sources } = await readJson<{ sources: string[] }>(join(outDir, id, 'handler.mjs.map'));
      const zodSources = sources.filter((source) => source.includes('node_modules/zod/'));
      if (id === 'ProductsFunction') expect(zodSources.length, id).toBeGreaterThan(0);
      else expect(zodSources, id).toEqual([]);
    }
  });

  it('gives a token bundle that answers 503, not a crash, when the environment has no credentials', async () => {
    const client = await createTestClient({ scopes: ['products:read'] });
    const stable = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'token/bad-secret.json'));
    const event = withHeader(stable, 'Authorization', basicAuthorization(client.clientId, client.clientSecret));
    const response = await invokeBundle('TokenFunction', event, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
    expect(response.statusCode, String(response.body)).toBe(503);
    expect(JSON.parse(String(response.body))).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('gives a token bundle that answers 200 with a token', async () => {
    const client = await createTestClient({ scopes: ['products:read'] });
    const stable = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'token/bad-secret.json'));
    const response = await invokeBundle('TokenFunction', withHeader(stable, 'Authorization', basicAuthorization(client.clientId, client.clientSecret)));
    expect(response.statusCode, String(response.body)).toBe(200);
    expect(JSON.parse(String(response.body))).toMatchObject({ token_type: 'Bearer', scope: 'products:read', access_token: expect.stringMatching(/^ey/) });
  });

  it('gives an authorizer bundle that allows a fresh token', async () => {
    const token = await accessTokenFor(await createTestClient({ scopes: ['products:read'] }));
    const event = { ...(await readJson<object>(join(EVENTS_DIR, 'authorizer/missing-token.json'))), authorizationToken: `Bearer ${token}` };
    const policy = await invokeBundle('AuthorizerFunction', event);
    expect(policy).toMatchObject({ policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke' }] }, context: { scope: 'products:read' } });
  });

  it('gives a products bundle that lists products', async () => {
    const response = await invokeBundle('ProductsFunction', await readJson(join(EVENTS_DIR, 'products/list.json')));
    expect(response.statusCode).toBe(200);
    expect((JSON.parse(String(response.body)) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('gives a revocation bundle and an introspection bundle that revoke a token and then call it inactive', async () => {
    const owner = await createTestClient({ scopes: ['products:read'] });
    const resourceServer = await createTestClient({ scopes: ['products:read'], canIntrospect: true });
    const token = await accessTokenFor(owner);
    const form = (event: APIGatewayProxyEvent, client: typeof owner) => ({
      ...withHeader(event, 'Authorization', basicAuthorization(client.clientId, client.clientSecret)),
      body: new URLSearchParams({ token }).toString(),
      isBase64Encoded: false,
    });
    const introspection = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'introspection/bad-secret.json'));
    const live = await invokeBundle('IntrospectionFunction', form(introspection, resourceServer));
    expect(live.statusCode, String(live.body)).toBe(200);
    expect(JSON.parse(String(live.body))).toMatchObject({ active: true, client_id: owner.clientId });

    const revocation = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'revocation/bad-secret.json'));
    const revoked = await invokeBundle('RevocationFunction', form(revocation, owner));
    expect(revoked).toMatchObject({ statusCode: 200, body: '' });
    const after = await invokeBundle('IntrospectionFunction', form(introspection, resourceServer));
    expect(after).toMatchObject({ statusCode: 200, body: '{"active":false}' });
  });

  it('gives a discovery bundle that returns the JWKS', async () => {
    const response = await invokeBundle('DiscoveryFunction', await readJson(join(EVENTS_DIR, 'discovery/jwks.json')));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual(await (await fetch(testStack().jwksUri)).json());
  });
});
