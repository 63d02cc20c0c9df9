import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnScript } from '../support/project-process.js';

/** `npm start` when its API port is taken: a hint to use PORT, and no new data directory left behind. */
let occupied: Server;
let port: number;
let parent: string;

beforeAll(async () => {
  occupied = createServer();
  await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', () => resolve()));
  port = (occupied.address() as { port: number }).port;
  parent = await mkdtemp(join(tmpdir(), 'oauth-cc-start-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => occupied.close(() => resolve()));
  await rm(parent, { recursive: true, force: true });
});

describe('npm start on a port in use', () => {
  it('says the port is in use, suggests PORT=, and creates no data directory', { timeout: 60_000 }, async () => {
    const dataDir = join(parent, 'fresh');
    const start = spawnScript('scripts/start.ts', [], { PORT: String(port), LOCAL_DATA_DIR: dataDir });
    const { code } = await start.exited;
    expect(code).toBe(1);
    expect(start.output()).toContain(`Port ${port} on 127.0.0.1 is already in use. Start on another port: PORT=${port + 1} npm start`);
    expect(start.output()).not.toMatch(/\n\s+at /);
    expect(existsSync(dataDir)).toBe(false);
  });
});
