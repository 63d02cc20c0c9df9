import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileExists, spawnStack, stackFileOf, startChildStack, type ChildStack } from '../support/child-stack.js';
import { accessTokenFrom, clientRegistryFor, requestTokenFrom } from '../support/stack-clients.js';

/**
 * `npm start` as a developer uses it, on a data directory of its own: Ctrl-C stops it cleanly, a restart
 * keeps what the first run created (clients, signing key), and a second stack on the same directory is
 * refused while one runs. One stack serves the whole story, stopped and started again in between.
 */
const SLOW = 120_000;
let dataDir: string;
let first: ChildStack | undefined;
let second: ChildStack | undefined;
let client: { clientId: string; clientSecret: string };
let token: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'oauth-cc-restart-'));
  first = await startChildStack(dataDir);
  const issued = await clientRegistryFor(first.info).createClient({ name: 'survives restarts', scopes: ['products:read'] });
  client = { clientId: issued.client.clientId, clientSecret: issued.clientSecret };
  token = await accessTokenFrom(first.info.tokenEndpoint, client);
}, SLOW);

afterAll(async () => {
  await first?.kill();
  await second?.kill();
  await rm(dataDir, { recursive: true, force: true });
});

const products = (apiUrl: string, accessToken: string) => fetch(`${apiUrl}/products`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('a local stack started with npm start', () => {
  it('refuses a second stack on the same data directory while one runs, and the first keeps serving', async () => {
    const duplicate = spawnStack(dataDir);
    const { code } = await duplicate.exited;
    expect(code).not.toBe(0);
    expect(duplicate.output()).toMatch(/already running/);
    expect(duplicate.output()).toContain(String(first!.info.pid));

    expect((await products(first!.info.apiUrl, token)).status).toBe(200);
    expect((await requestTokenFrom(first!.info.tokenEndpoint, client)).status).toBe(200);
    expect(await fileExists(stackFileOf(dataDir))).toBe(true);
  }, SLOW);

  it('stops on Ctrl-C (SIGINT) with exit status 0 and removes its stack.json', async () => {
    expect(await first!.stop()).toBe(0);
    expect(first!.process.output()).toMatch(/Stopping the local stack/);
    expect(await fileExists(stackFileOf(dataDir))).toBe(false);
    expect(await fileExists(join(dataDir, 'stack.lock'))).toBe(false);
    await expect(fetch(first!.info.apiUrl)).rejects.toThrow();
  }, SLOW);

  it('keeps clients and the signing key across a restart, so old tokens still work', async () => {
    // Same port, hence the same issuer (http://localhost:<port>), as a developer restarting `npm start` gets.
    second = await startChildStack(dataDir, Number(new URL(first!.info.apiUrl).port));
    expect(second.info.issuer).toBe(first!.info.issuer);
    expect(second.info.signingKeyId).toBe(first!.info.signingKeyId);

    const fresh = await accessTokenFrom(second.info.tokenEndpoint, client);
    expect(decodeProtectedHeader(fresh).kid).toBe(decodeProtectedHeader(token).kid);
    expect((await products(second.info.apiUrl, token)).status).toBe(200);
    expect((await products(second.info.apiUrl, fresh)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, SLOW);
});
