import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization, createTestClient, testStack } from '../support/stack-clients.js';
import { EVENTS_DIR, readJson, withHeader } from '../events/fixture-files.js';
import { runInvokeCli } from '../../scripts/invoke/run.js';
import { PROJECT_ROOT, runScript } from './script-process.js';

/**
 * `npm run invoke` as a user runs it: a separate process per invocation against the test stack, reading
 * the committed fixtures (or stdin), printing the result on stdout and the logs on stderr.
 */
let scratch: string;
const stackFile = (): string => join(testStack().dataDir, 'stack.json');
const invoke = (args: readonly string[], stdin?: string) =>
  runScript('scripts/invoke.ts', [...args, '--stack-file', stackFile()], stdin === undefined ? {} : { stdin });

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'oauth-cc-invoke-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('npm run invoke', () => {
  it('prints the function result as one JSON line on stdout and its logs (REPORT included) on stderr', async () => {
    const run = await invoke(['DiscoveryFunction', 'events/discovery/jwks.json']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual(await (await fetch(testStack().jwksUri)).json());
    expect(run.stderr).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms/);
    expect(run.stderr).toContain('Init Duration');
  });

  it('exits 0 when the function answers with an error status: a 401 is a result, not a failure', async () => {
    const run = await invoke(['TokenFunction', 'events/token/bad-secret.json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ statusCode: 401 });
    expect(run.stderr).toContain('"reason":"wrong_secret"');
  });

  it('exits 1 and prints Lambda\'s error object when the handler throws (an authorizer refusing a token)', async () => {
    const run = await invoke(['AuthorizerFunction', 'events/authorizer/malformed-header.json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('{"errorType":"Error","errorMessage":"Unauthorized"}\n');
  });

  it('reads the event from stdin when the file is -', async () => {
    const client = await createTestClient({ scopes: ['products:read'] });
    const stable = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'token/bad-secret.json'));
    const event = withHeader(stable, 'Authorization', basicAuthorization(client.clientId, client.clientSecret));
    const run = await invoke(['TokenFunction', '-'], JSON.stringify(event));
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ token_type: 'Bearer', scope: 'products:read' });
  });

  it("applies --env-vars like sam: a function's entry wins over Parameters", async () => {
    const envVars = join(scratch, 'env.json');
    await writeFile(
      envVars,
      JSON.stringify({
        Parameters: { ISSUER: 'https://everyone.example', SCOPES_SUPPORTED: 'from:parameters' },
        DiscoveryFunction: { SCOPES_SUPPORTED: 'custom:read custom:write', NOT_DECLARED: 'ignored' },
      }),
    );
    const run = await invoke(['DiscoveryFunction', 'events/discovery/oauth-authorization-server.json', '--env-vars', envVars]);
    expect(run.code, run.stderr).toBe(0);
    const metadata = JSON.parse((JSON.parse(run.stdout) as { body: string }).body) as { issuer: string; scopes_supported: string[] };
    expect(metadata.issuer).toBe('https://everyone.example');
    expect(metadata.scopes_supported).toEqual(['custom:read', 'custom:write']);
  });

  it('exits 1 with the init error when the function cannot start (a variable its config refuses)', async () => {
    const envVars = join(scratch, 'bad-key.json');
    await writeFile(envVars, JSON.stringify({ TokenFunction: { SIGNING_KEY_ID: 'alias/not-a-key-id' } }));
    const run = await invoke(['TokenFunction', 'events/token/bad-secret.json', '--env-vars', envVars]);
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout) as { errorType: string; errorMessage: string };
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toContain('SIGNING_KEY_ID');
  });

  describe('refusals (run in-process: the same command code, no function is started)', () => {
    const invokeInProcess = async (args: readonly string[], stdin = '') => {
      let stdout = '';
      let stderr = '';
      const code = await runInvokeCli(
        args,
        { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), readStdin: async () => stdin, env: {} },
        { projectRoot: PROJECT_ROOT },
      );
      return { code, stdout, stderr };
    };

    it.each([
      ['an unknown function', ['NoSuchFunction', 'events/discovery/jwks.json'], /no function "NoSuchFunction" in the template; known functions: .*TokenFunction/],
      ['a missing event file', ['TokenFunction', 'events/token/no-such-file.json'], /cannot read event file events\/token\/no-such-file\.json/],
      ['no event file', ['TokenFunction'], /no event file given/],
      ['an unknown option', ['TokenFunction', 'events/token/bad-secret.json', '--stage', 'v2'], /error: unknown option --stage\n/],
    ])('exits 2 with a clear message for %s, printing nothing on stdout', async (_case, args, message) => {
      const run = await invokeInProcess([...args, '--stack-file', stackFile()]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    });

    it('exits 2 when the event is not JSON', async () => {
      const run = await invokeInProcess(['TokenFunction', '-', '--stack-file', stackFile()], '{"httpMethod": POST}');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/the event on stdin is not valid JSON/);
    });

    it('exits 2 when the --env-vars file is not sam\'s format', async () => {
      const envVars = join(scratch, 'flat.json');
      await writeFile(envVars, JSON.stringify({ TokenFunction: 'CLIENTS_TABLE=x' }));
      const run = await invokeInProcess(['TokenFunction', 'events/token/bad-secret.json', '--env-vars', envVars, '--stack-file', stackFile()]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/"TokenFunction" must be an object of variable names to values/);
    });

    it('exits 2 and says how to start one when no stack is running', async () => {
      const run = await invokeInProcess(['TokenFunction', 'events/token/bad-secret.json', '--stack-file', join(scratch, 'none.json')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no local stack is running: start one with npm start/);
    });
  });
});
