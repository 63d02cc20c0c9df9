import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readParameterOverrides } from '../../scripts/keys/samconfig-overrides.js';
import { runKeysCli } from '../../scripts/keys/run.js';
import type { DeployedStackSource } from '../../scripts/keys/deployed-stack.js';
import type { DeployedStack, Slots } from '../../scripts/keys/rotation.js';

/**
 * `npm run keys -- … --aws` in a copy of the project's samconfig.toml, against a stand-in for CloudFormation
 * whose `plainSamDeploy` does what `sam deploy` does with no flags: deploy the slots samconfig.toml names.
 */
let projectRoot: string;
let now: Date;
let stack: DeployedStack;
const reads: string[] = [];

const cloudFormation: DeployedStackSource = {
  async read(stackName, region) {
    reads.push(`${region}/${stackName}`);
    return stack;
  },
};

async function plainSamDeploy(minutesLater: number): Promise<Slots> {
  now = new Date(now.getTime() + minutesLater * 60_000);
  const overrides = readParameterOverrides(await readFile(join(projectRoot, 'samconfig.toml'), 'utf8'));
  const slots = { A: overrides.KeyAState ?? 'active', B: overrides.KeyBState ?? 'absent' } as Slots;
  stack = { ...stack, slots, updatedAt: now };
  return slots;
}

function waitMinutes(minutes: number): void {
  now = new Date(now.getTime() + minutes * 60_000);
}

async function keys(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runKeysCli(
    argv,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} },
    { projectRoot, deployedStack: cloudFormation, clock: () => now },
  );
  return { code, stdout, stderr };
}

beforeEach(async () => {
  projectRoot = await mkdtemp(join(tmpdir(), 'oauth-cc-keys-'));
  await copyFile(new URL('../../samconfig.toml', import.meta.url), join(projectRoot, 'samconfig.toml'));
  now = new Date('2026-03-01T10:00:00.000Z');
  stack = {
    slots: { A: 'active', B: 'absent' },
    updatedAt: new Date('2026-02-01T00:00:00.000Z'),
    status: 'UPDATE_COMPLETE',
    inProgress: false,
    maxTokenLifetimeSeconds: 86400,
    clockSkewSeconds: 30,
  };
  reads.length = 0;
});

afterEach(async () => {
  await rm(projectRoot, { recursive: true, force: true });
});

describe('npm run keys -- <step> --aws', () => {
  it('writes each step where a plain `sam deploy` reads it, so no deploy puts the old slots back', async () => {
    const add = await keys('add', '--aws');
    expect(add, add.stderr).toMatchObject({ code: 0 });
    expect(add.stdout).toContain('sam build && sam deploy');
    expect(reads).toEqual(['us-east-1/oauth-cc']);
    expect(await plainSamDeploy(5)).toEqual({ A: 'active', B: 'previous' });

    waitMinutes(5);
    const activate = await keys('activate', '--aws');
    expect(activate, activate.stderr).toMatchObject({ code: 0 });
    expect(await plainSamDeploy(10)).toEqual({ A: 'previous', B: 'active' });
    // An unrelated later deploy (say, a code change) keeps both keys: the active one is not scheduled for deletion.
    expect(await plainSamDeploy(60)).toEqual({ A: 'previous', B: 'active' });
  });

  it('refuses to retire the old key until a max token lifetime after it stopped signing, and says how long to wait', async () => {
    await keys('add', '--aws');
    await plainSamDeploy(5);
    waitMinutes(5);
    await keys('activate', '--aws');
    await plainSamDeploy(10);
    const stoppedSigning = now;

    now = new Date(stoppedSigning.getTime() + 3600_000);
    const early = await keys('retire', '--aws');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`stopped signing at ${stoppedSigning.toISOString()}`);
    expect(early.stderr).toContain('Wait 23 h 1 min 30 s before "retire"');
    expect(readParameterOverrides(await readFile(join(projectRoot, 'samconfig.toml'), 'utf8'))).toMatchObject({ KeyAState: 'previous' });

    now = new Date(stoppedSigning.getTime() + (86400 + 30 + 60) * 1000);
    const retire = await keys('retire', '--aws');
    expect(retire, retire.stderr).toMatchObject({ code: 0 });
    expect(await plainSamDeploy(1)).toEqual({ A: 'absent', B: 'active' });
    const status = await keys('status', '--aws');
    expect(status.stdout).toContain('key A: absent');
    expect(status.stdout).toContain('Next: npm run keys -- add --aws starts a rotation');
  });

  it('refuses the next step until the previous one is deployed', async () => {
    await keys('add', '--aws');
    now = new Date(now.getTime() + 3600_000);
    const activate = await keys('activate', '--aws');
    expect(activate.code).toBe(1);
    expect(activate.stderr).toContain('"add" step (KeyAState=active KeyBState=previous) is in samconfig.toml but not deployed');
  });

  it('keeps every other line of samconfig.toml and records the times next to it', async () => {
    const before = await readFile(join(projectRoot, 'samconfig.toml'), 'utf8');
    await keys('add', '--aws');
    const after = await readFile(join(projectRoot, 'samconfig.toml'), 'utf8');
    expect(after.split('\n').filter((line, i) => line !== before.split('\n')[i])).toEqual([
      'parameter_overrides = "StageName=\\"v1\\" KeyAState=\\"active\\" KeyBState=\\"previous\\""',
    ]);
    const record = JSON.parse(await readFile(join(projectRoot, 'samconfig.signing-keys.json'), 'utf8')) as Record<string, unknown>;
    expect(record['oauth-cc']).toMatchObject({ pending: { step: 'add', slots: { A: 'active', B: 'previous' } } });
  });
});
