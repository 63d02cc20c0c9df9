// `npm run keys -- <status|add|activate|retire> --aws`: one rotation step for the deployed stack. It changes
// nothing in AWS itself: it checks the deployed stack (DescribeStacks), writes the next slot states into
// samconfig.toml's parameter_overrides and records the step; `sam build && sam deploy` then deploys exactly that,
// with the changeset shown for confirmation. Writing samconfig.toml rather than deploying keeps one way to deploy
// (the user's own `sam deploy`, credentials and confirmation), and makes the next plain `sam deploy` — by anyone —
// deploy the same slots instead of the defaults.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSamconfigRegion, readSamconfigStackName } from '../samconfig/deploy-target.js';
import type { DeployedStackSource } from './deployed-stack.js';
import { readRotationRecord, RECORD_FILE, writeRotationRecord } from './rotation-record.js';
import {
  describeSlots,
  formatDuration,
  IN_FLIGHT_MARGIN_SECONDS,
  JWKS_CACHE_SECONDS,
  planStep,
  reconcile,
  RotationTooEarly,
  SLOT_NAMES,
  type DeployedStack,
  type RotationRecord,
  type RotationStep,
  type SlotState,
  type Slots,
} from './rotation.js';
import { readParameterOverrides, setParameterOverrides } from './samconfig-overrides.js';

export interface AwsTarget {
  stackName?: string;
  region?: string;
  configEnv: string;
}

export interface AwsRotationContext {
  projectRoot: string;
  deployedStack: DeployedStackSource;
  clock: () => Date;
  env: Record<string, string | undefined>;
  stdout(text: string): void;
}

export class AwsTargetMissing extends Error {
  override readonly name = 'AwsTargetMissing';
}

export async function runAwsKeysCommand(command: 'status' | RotationStep, target: AwsTarget, context: AwsRotationContext): Promise<void> {
  const samconfigPath = join(context.projectRoot, 'samconfig.toml');
  const toml = await readFile(samconfigPath, 'utf8');
  const stackName = target.stackName ?? readSamconfigStackName(toml);
  if (stackName === undefined) throw new AwsTargetMissing('no stack name: pass --stack-name or set stack_name in samconfig.toml');
  const region = target.region ?? readSamconfigRegion(toml) ?? context.env.AWS_REGION;
  const configured = configuredSlots(readParameterOverrides(toml, target.configEnv));

  const deployed = await context.deployedStack.read(stackName, region);
  const stored = await readRotationRecord(context.projectRoot, stackName);
  const record = reconcile(stored, deployed, configured);
  if (JSON.stringify(record) !== JSON.stringify(stored)) await writeRotationRecord(context.projectRoot, stackName, record);
  const now = context.clock();

  if (command === 'status') {
    context.stdout(statusText(stackName, record, deployed, now));
    return;
  }
  const planned = planStep(command, record, deployed, now);
  await writeFile(samconfigPath, setParameterOverrides(toml, { KeyAState: planned.slots.A, KeyBState: planned.slots.B }, target.configEnv));
  await writeRotationRecord(context.projectRoot, stackName, planned.record);
  context.stdout(
    [
      `${STEP_DONE[command](planned.slot)}`,
      `samconfig.toml [${target.configEnv}.deploy.parameters] now has ${describeSlots(planned.slots)} (recorded in ${RECORD_FILE}).`,
      '',
      'Deploy it (nothing has changed in AWS yet):',
      '  sam build && sam deploy',
      '',
      `Then: ${AFTER_DEPLOY[command](planned, deployed)}`,
      '',
    ].join('\n'),
  );
}

function configuredSlots(overrides: Record<string, string>): Slots {
  // Unset in samconfig.toml means the template defaults.
  const state = (name: string, fallback: SlotState): SlotState => {
    const value = overrides[name] ?? fallback;
    if (value !== 'active' && value !== 'previous' && value !== 'absent') {
      throw new AwsTargetMissing(`samconfig.toml sets ${name}="${value}"; it must be active, previous or absent`);
    }
    return value;
  };
  return { A: state('KeyAState', 'active'), B: state('KeyBState', 'absent') };
}

const STEP_DONE: Record<RotationStep, (slot: string) => string> = {
  add: (slot) => `Add: a new key in slot ${slot}, published in the JWKS and accepted, not yet signing.`,
  activate: (slot) => `Activate: key ${slot} signs new tokens; the other key keeps verifying until its tokens expire.`,
  retire: (slot) => `Retire: key ${slot} leaves the JWKS and KMS schedules its deletion (30-day pending window).`,
};

const AFTER_DEPLOY: Record<RotationStep, (planned: { slot: string }, deployed: DeployedStack) => string> = {
  add: () => `wait ${JWKS_CACHE_SECONDS} s after the deployment (cached JWKS), then npm run keys -- activate --aws`,
  activate: (_planned, deployed) =>
    `wait ${formatDuration(retireWaitSeconds(deployed))} after the deployment (max token lifetime + clock skew + ${IN_FLIGHT_MARGIN_SECONDS} s), ` +
    'then npm run keys -- retire --aws (it refuses earlier and says how long to wait)',
  retire: () => 'the rotation is complete; npm run keys -- status --aws shows the slots',
};

function retireWaitSeconds(deployed: DeployedStack): number {
  return deployed.maxTokenLifetimeSeconds + deployed.clockSkewSeconds + IN_FLIGHT_MARGIN_SECONDS;
}

function statusText(stackName: string, record: RotationRecord, deployed: DeployedStack, now: Date): string {
  const lines = [`Stack ${stackName} (${deployed.status}, last deployed ${deployed.updatedAt.toISOString()}):`];
  for (const name of SLOT_NAMES) {
    const slot = record.slots[name];
    const times = [
      slot.publishedAt === undefined ? '' : `published ${slot.publishedAt}`,
      slot.stoppedSigningAt === undefined ? '' : `stopped signing ${slot.stoppedSigningAt}`,
    ].filter(Boolean);
    lines.push(`  key ${name}: ${slot.state}${times.length > 0 ? ` (${times.join(', ')})` : ''}`);
  }
  lines.push('');
  if (record.pending !== undefined) {
    lines.push(`In samconfig.toml, not deployed yet: "${record.pending.step}" (${describeSlots(record.pending.slots)}). Run: sam build && sam deploy`);
  } else {
    lines.push(`Next: ${nextStep(record, deployed, now)}`);
  }
  return `${lines.join('\n')}\n`;
}

function nextStep(record: RotationRecord, deployed: DeployedStack, now: Date): string {
  const previous = SLOT_NAMES.find((name) => record.slots[name].state === 'previous');
  const step: RotationStep =
    previous === undefined ? 'add' : record.slots[previous].stoppedSigningAt === undefined ? 'activate' : 'retire';
  try {
    planStep(step, record, deployed, now);
    return step === 'add' ? 'npm run keys -- add --aws starts a rotation' : `npm run keys -- ${step} --aws`;
  } catch (error) {
    if (error instanceof RotationTooEarly) return `${step} (${error.message})`;
    throw error;
  }
}
