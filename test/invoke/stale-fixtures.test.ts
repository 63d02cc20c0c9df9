import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsOutDir } from '../../scripts/events/run.js';
import { runInvokeCli } from '../../scripts/invoke/run.js';
import { staleFixtureHint } from '../../scripts/invoke/stale-fixture.js';
import { EVENTS_DIR, readJson, withHeader } from '../events/fixture-files.js';
import { basicAuthorization, createTestClient, testStack } from '../support/stack-clients.js';
import { PROJECT_ROOT } from './script-process.js';

/**
 * The committed live fixtures carry the fixtures client's secret and tokens of the stack they were made
 * from; on any other stack they are refused. `npm run invoke` says so, and prefers the copies `npm run events`
 * writes (git-ignored) for the running stack. Each case runs in a project directory of its own, so a
 * developer's own .local/events/ never changes the outcome.
 */
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'oauth-cc-stale-'));
  for (const file of ['token/basic-auth.json', 'authorizer/valid-token.json']) {
    await mkdir(join(root, 'events', file.split('/')[0]!), { recursive: true });
    await copyFile(join(EVENTS_DIR, file), join(root, 'events', file));
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function invoke(functionId: string, eventFile: string) {
  let stdout = '';
  let stderr = '';
  const code = await runInvokeCli(
    [functionId, eventFile, '--stack-file', join(testStack().dataDir, 'stack.json'), '--template', join(PROJECT_ROOT, 'template.yaml')],
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), readStdin: async () => '', env: {} },
    { projectRoot: root },
  );
  return { code, stdout, stderr };
}

describe('npm run invoke with a stale live fixture', () => {
  it('says the committed token request carries a secret that is not current, and to run npm run events', async () => {
    const run = await invoke('TokenFunction', 'events/token/basic-auth.json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ statusCode: 401 });
    expect(run.stderr).toContain('note: fixtures-client was refused: its secret in this fixture is not its current one');
    expect(run.stderr).toContain('Run npm run events (with the stack running)');
  });

  it('says the committed token was signed by a key this stack does not have, naming its kid', async () => {
    const event = await readJson<{ authorizationToken: string }>(join(EVENTS_DIR, 'authorizer/valid-token.json'));
    const kid = (JSON.parse(Buffer.from(event.authorizationToken.slice(7).split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    const run = await invoke('AuthorizerFunction', 'events/authorizer/valid-token.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('{"errorType":"Error","errorMessage":"Unauthorized"}\n');
    expect(run.stderr).toContain(`note: the token in this fixture was signed by a key this stack does not have (kid ${kid})`);
  });

  it('uses the copy npm run events wrote to .local/events/ in place of the committed one', async () => {
    const client = await createTestClient({ scopes: ['products:read'] });
    const committed = await readJson<APIGatewayProxyEvent>(join(EVENTS_DIR, 'token/basic-auth.json'));
    await mkdir(join(root, '.local', 'events', 'token'), { recursive: true });
    await writeFile(
      join(root, '.local', 'events', 'token', 'basic-auth.json'),
      JSON.stringify(withHeader(committed, 'Authorization', basicAuthorization(client.clientId, client.clientSecret))),
    );
    const run = await invoke('TokenFunction', 'events/token/basic-auth.json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ statusCode: 200 });
    expect(run.stderr).toContain(`Using ${join('.local', 'events', 'token', 'basic-auth.json')} (written by npm run events for the running stack) in place of ${join('events', 'token', 'basic-auth.json')}`);
    expect(run.stderr).not.toContain('note:');
  });
});

describe('staleFixtureHint', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const jwt = (header: object, payload: object) =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  const unauthorized = { exitCode: 1 as const, error: { errorType: 'Error', errorMessage: 'Unauthorized' }, stdout: '' };
  const tokenEvent = (token: string) => ({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn: 'arn' });

  it('names an expired fixture token, and stays silent for tokens of other clients or that were allowed', () => {
    const expired = tokenEvent(jwt({ kid: 'k1' }, { client_id: 'fixtures-client', exp: now.getTime() / 1000 - 60 }));
    expect(staleFixtureHint('AuthorizerFunction', expired, unauthorized, { kids: ['k1'], now })).toContain('expired at 2026-03-01T11:59:00.000Z');
    const demo = tokenEvent(jwt({ kid: 'gone' }, { client_id: 'demo-client', exp: 4102444800 }));
    expect(staleFixtureHint('AuthorizerFunction', demo, unauthorized, { kids: ['k1'], now })).toBeUndefined();
    const allowed = { exitCode: 0 as const, result: { principalId: 'x' }, stdout: '' };
    expect(staleFixtureHint('AuthorizerFunction', expired, allowed, { kids: ['k1'], now })).toBeUndefined();
  });

  it('reads the client from the form body too, and ignores refusals of other clients (bad-secret.json)', () => {
    const refused = { exitCode: 0 as const, result: { statusCode: 401 }, stdout: '' };
    const post = { resource: '/oauth2/token', headers: {}, body: 'grant_type=client_credentials&client_id=fixtures-client&client_secret=x' };
    expect(staleFixtureHint('TokenFunction', post, refused, { kids: undefined, now })).toContain('fixtures-client was refused');
    const demo = { resource: '/oauth2/token', headers: { Authorization: basicAuthorization('demo-client', 'wrong') }, body: 'grant_type=client_credentials' };
    expect(staleFixtureHint('TokenFunction', demo, refused, { kids: undefined, now })).toBeUndefined();
  });
});

describe('npm run events output', () => {
  it('goes to the git-ignored .local/events/ for live fixtures and to events/ only for the commit-stable ones', () => {
    expect(eventsOutDir({ stable: false })).toBe(join('.local', 'events'));
    expect(eventsOutDir({ stable: true })).toBe('events');
    expect(eventsOutDir({ stable: false, out: 'elsewhere' })).toBe('elsewhere');
    // git check-ignore exits 0 when the path is ignored.
    expect(() => execFileSync('git', ['check-ignore', '-q', '.local/events/token/basic-auth.json'], { cwd: PROJECT_ROOT })).not.toThrow();
  });
});
