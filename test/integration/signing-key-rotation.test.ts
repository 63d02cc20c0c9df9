import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackInfo } from '../../local/stack-info.js';
import { readStackFile, stackFileOf, startChildStack, type ChildStack } from '../support/child-stack.js';
import { runNpmScript, waitFor } from '../support/project-process.js';
import { accessTokenFrom, clientRegistryFor } from '../support/stack-clients.js';

/**
 * The rotation runbook (`npm run keys -- add | activate | retire`) on a running stack of its own: each
 * step signals the stack, which reloads asynchronously, so every check first waits (bounded) until the
 * stack reports the step, then asserts what relying parties see.
 */
const SLOW = 120_000;
let dataDir: string;
let stack: ChildStack | undefined;
let info: StackInfo;
let client: { clientId: string; clientSecret: string };
let t1: string;
let t2: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'oauth-cc-rotation-'));
  stack = await startChildStack(dataDir);
  info = stack.info;
  const issued = await clientRegistryFor(info).createClient({ name: 'rotation', scopes: ['products:read'] });
  client = { clientId: issued.client.clientId, clientSecret: issued.clientSecret };
  t1 = await accessTokenFrom(info.tokenEndpoint, client);
}, SLOW);

afterAll(async () => {
  await stack?.kill();
  await rm(dataDir, { recursive: true, force: true });
});

async function keys(step: 'add' | 'activate' | 'retire'): Promise<void> {
  const run = await runNpmScript('keys', [step, '--stack-file', stackFileOf(dataDir)]);
  expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
}

/** Waits until stack.json, rewritten after each reload, shows the change. */
function reloaded(what: string, done: (info: StackInfo) => boolean): Promise<StackInfo> {
  return waitFor(`the stack to reload (${what})`, async () => {
    const current = await readStackFile(dataDir);
    return done(current) ? current : undefined;
  });
}

async function publishedKids(): Promise<string[]> {
  const response = await fetch(info.jwksUri);
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: { kid: string }[] }).keys.map(({ kid }) => kid);
}

const opens = async (token: string) => (await fetch(`${info.apiUrl}/products`, { headers: { authorization: `Bearer ${token}` } })).status;
const kidOf = (token: string) => decodeProtectedHeader(token).kid!;

describe('signing key rotation', () => {
  it('add: publishes a second key while the first still signs; T1 keeps working', async () => {
    expect(await publishedKids()).toEqual([kidOf(t1)]);
    await keys('add');
    info = await reloaded('two verification keys', (current) => current.verifyKeyIds.length === 2);
    expect(info.signingKeyId).toBe(stack!.info.signingKeyId);

    const kids = await publishedKids();
    expect(kids).toHaveLength(2);
    expect(kids).toContain(kidOf(t1));
    expect(await opens(t1)).toBe(200);
    expect(kidOf(await accessTokenFrom(info.tokenEndpoint, client))).toBe(kidOf(t1));
  }, SLOW);

  it('activate: new tokens carry the new kid; T1 and T2 both work', async () => {
    await keys('activate');
    info = await reloaded('the added key signing', (current) => current.signingKeyId !== stack!.info.signingKeyId);
    t2 = await accessTokenFrom(info.tokenEndpoint, client);
    expect(kidOf(t2)).not.toBe(kidOf(t1));
    expect(await publishedKids()).toEqual(expect.arrayContaining([kidOf(t1), kidOf(t2)]));
    expect(await opens(t1)).toBe(200);
    expect(await opens(t2)).toBe(200);
  }, SLOW);

  it('retire: the old key leaves the JWKS and T1 is refused with 401; T2 works', async () => {
    await keys('retire');
    info = await reloaded('one verification key', (current) => current.verifyKeyIds.length === 1);
    expect(info.verifyKeyIds).toEqual([info.signingKeyId]);
    expect(await publishedKids()).toEqual([kidOf(t2)]);

    const refused = await fetch(`${info.apiUrl}/products`, { headers: { authorization: `Bearer ${t1}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await opens(t2)).toBe(200);
    expect(kidOf(await accessTokenFrom(info.tokenEndpoint, client))).toBe(kidOf(t2));
  }, SLOW);
});
