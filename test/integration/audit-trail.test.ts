import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { runClientsCli } from '../../scripts/clients/run.js';
import { runNpmScript } from '../support/project-process.js';
import { testStack } from '../support/stack-clients.js';

/**
 * Every change `npm run clients` makes to the running local stack's registry leaves one audit record with its
 * actor (locally the OS user), and `audit` reads them back. The CLI runs in-process here for speed, over the same
 * stack file and real SDK clients as `npm run clients`; one step runs the real npm script.
 */
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ACTOR = `${userInfo().username}@${hostname()} (local)`;
const stackFile = () => join(testStack().dataDir, 'stack.json');
const dynamodb = new DynamoDBClient({ region: testStack().region, endpoint: testStack().dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
afterAll(() => dynamodb.destroy());

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text), env: { OAUTH_STACK_FILE: stackFile() } };
  const code = await runClientsCli(args, io, { projectRoot: PROJECT_ROOT });
  return { code, stdout, stderr };
}

async function ok(...args: string[]): Promise<Record<string, unknown>> {
  const run = await cli(...args, '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('audit trail of registry changes', () => {
  let clientId: string;
  const secrets: string[] = [];

  it('records the demo client\u2019s secret issued by npm start, with npm start as the actor and no secret', async () => {
    const trail = (await ok('audit', 'demo-client')) as unknown as { action: string; actor: string; changes: Record<string, [unknown, unknown]> }[];
    expect(trail.length).toBeGreaterThanOrEqual(1);
    expect(trail[0]).toMatchObject({ action: 'create', actor: `${userInfo().username}@${hostname()} (npm start)` });
    expect(JSON.stringify(trail)).not.toContain(testStack().demoClientSecret);
  });

  it('records create, rotate-secret, remove-secret, disable, enable and delete, each with its actor', async () => {
    expect(testStack().auditTable).toBeDefined();
    const created = await ok('create', '--name', 'audited', '--scopes', 'products:read');
    clientId = String(created.client_id);
    secrets.push(String(created.client_secret));
    const oldSecretId = String(created.secret_id);
    const rotated = await ok('rotate-secret', clientId);
    secrets.push(String(rotated.client_secret));
    await ok('remove-secret', clientId, oldSecretId);
    await ok('disable', clientId);
    await ok('enable', clientId);
    await ok('delete', clientId);

    const trail = (await ok('audit', clientId)) as unknown as { action: string; actor: string; clientId: string; changes: Record<string, [unknown, unknown]> }[];
    expect(trail.map((record) => record.action)).toEqual(['create', 'rotate-secret', 'remove-secret', 'disable', 'enable', 'delete']);
    for (const record of trail) expect(record).toMatchObject({ actor: ACTOR, clientId });
    expect(trail[0]!.changes).toMatchObject({ name: [null, 'audited'], status: [null, 'active'], allowedScopes: [null, ['products:read']] });
    expect(trail[1]!.changes.secrets![1]).toHaveLength(2);
    expect(trail[2]!.changes.secrets).toEqual([expect.arrayContaining([oldSecretId]), expect.not.arrayContaining([oldSecretId])]);
    expect(trail[3]!.changes).toEqual({ status: ['active', 'disabled'] });
    expect(trail[4]!.changes).toEqual({ status: ['disabled', 'active'] });
    expect(trail[5]!.changes).toMatchObject({ name: ['audited', null], status: ['active', null] });
  });

  it('records revoke-tokens, set-claims and set-keys the same way: every registry change is audited', async () => {
    const secretClient = String((await ok('create', '--name', 'audited revoke', '--scopes', 'products:read')).client_id);
    await ok('revoke-tokens', secretClient);
    await ok('set-claims', secretClient, '--claim', 'tenant=acme');
    const dir = await mkdtemp(join(tmpdir(), 'audit-keys-'));
    const jwks = (kid: string) => ({ keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid }] });
    await writeFile(join(dir, 'first.json'), JSON.stringify(jwks('first')));
    await writeFile(join(dir, 'second.json'), JSON.stringify(jwks('second')));
    // A key client gets no secret, so --json prints its public view (clientId), not credentials (client_id).
    const keyClient = String((await ok('create', '--name', 'audited keys', '--scopes', 'products:read', '--auth-method', 'private_key_jwt', '--jwks', join(dir, 'first.json'))).clientId);
    await ok('set-keys', keyClient, '--jwks', join(dir, 'second.json'));
    await rm(dir, { recursive: true, force: true });

    const revokeTrail = (await ok('audit', secretClient)) as unknown as { action: string; actor: string; changes: Record<string, unknown> }[];
    expect(revokeTrail.map((record) => record.action)).toEqual(['create', 'revoke-tokens', 'set-claims']);
    for (const record of revokeTrail) expect(record.actor).toBe(ACTOR);
    expect(revokeTrail[2]!.changes).toMatchObject({ claims: [{}, { tenant: 'acme' }] });
    const keyTrail = (await ok('audit', keyClient)) as unknown as { action: string; actor: string }[];
    expect(keyTrail.map((record) => [record.action, record.actor])).toEqual([['create-key', ACTOR], ['set-keys', ACTOR]]);
  });

  it('never stores a secret or a secret hash in an audit item', async () => {
    const { Items = [] } = await DynamoDBDocumentClient.from(dynamodb).send(
      new QueryCommand({ TableName: testStack().auditTable, KeyConditionExpression: 'clientId = :c', ExpressionAttributeValues: { ':c': clientId } }),
    );
    expect(Items).toHaveLength(6);
    const stored = JSON.stringify(Items);
    for (const secret of secrets) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/hash/i);
  });

  it('keeps nothing of a change the registry refused', async () => {
    const refused = await cli('disable', 'no-such-client');
    expect(refused.code).toBe(1);
    expect(await ok('audit', 'no-such-client')).toEqual([]);
  });

  it('filters by --since, and lists every client without an ID', async () => {
    expect(await ok('audit', clientId, '--since', '2999-01-01')).toEqual([]);
    const recent = (await ok('audit', '--since', '1h')) as unknown as { clientId: string }[];
    expect(recent.filter((record) => record.clientId === clientId)).toHaveLength(6);
    const usage = await cli('audit', clientId, '--since', 'last tuesday');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--since expects an ISO date or time/);
  });

  it('prints the trail for people through npm run clients -- audit', async () => {
    const run = await runNpmScript('clients', ['audit', clientId, '--stack-file', stackFile()]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').filter((line) => !line.startsWith(' '));
    expect(lines).toHaveLength(6);
    expect(lines[3]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z  disable +${clientId}  by ${ACTOR.replace(/[()]/g, '\\$&')}$`));
    expect(run.stdout).toContain('    status: "active" → "disabled"');
  }, 90_000);
});
