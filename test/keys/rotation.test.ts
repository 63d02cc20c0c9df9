import { describe, expect, it } from 'vitest';
import {
  IN_FLIGHT_MARGIN_SECONDS,
  JWKS_CACHE_SECONDS,
  planStep,
  reconcile,
  RotationStepRefused,
  RotationTooEarly,
  type DeployedStack,
  type RotationRecord,
  type RotationStep,
  type Slots,
} from '../../scripts/keys/rotation.js';

const LIFETIME = 3600;
const SKEW = 30;
const RETIRE_WAIT_MS = (LIFETIME + SKEW + IN_FLIGHT_MARGIN_SECONDS) * 1000;
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function deployed(slots: Slots, updatedAt: Date, status = 'UPDATE_COMPLETE'): DeployedStack {
  return { slots, updatedAt, status, inProgress: status.endsWith('_IN_PROGRESS'), maxTokenLifetimeSeconds: LIFETIME, clockSkewSeconds: SKEW };
}

/** A user following the runbook: plan a step at `now`, then a `sam deploy` completing at `deployedAt`. */
function stepAndDeploy(record: RotationRecord, stack: DeployedStack, step: RotationStep, now: Date, deployedAt: Date) {
  const planned = planStep(step, record, stack, now);
  const after = deployed(planned.slots, deployedAt);
  return { record: reconcile(planned.record, after, planned.slots), stack: after, planned };
}

describe('key rotation state machine', () => {
  const start = deployed({ A: 'active', B: 'absent' }, T0);
  const initial = reconcile(undefined, start, { A: 'active', B: 'absent' });

  it('walks add → activate → retire, moving the new key through previous to active and removing the old one', () => {
    const added = stepAndDeploy(initial, start, 'add', at(1000), at(60_000));
    expect(added.planned.slots).toEqual({ A: 'active', B: 'previous' });
    expect(added.record.slots.B).toEqual({ state: 'previous', publishedAt: at(60_000).toISOString() });

    const activated = stepAndDeploy(added.record, added.stack, 'activate', at(60_000 + JWKS_CACHE_SECONDS * 1000), at(700_000));
    expect(activated.planned.slots).toEqual({ A: 'previous', B: 'active' });
    // The old key stopped signing when the activating deployment completed, not when the step was written.
    expect(activated.record.slots.A).toMatchObject({ state: 'previous', stoppedSigningAt: at(700_000).toISOString() });

    const retired = stepAndDeploy(activated.record, activated.stack, 'retire', at(700_000 + RETIRE_WAIT_MS), at(700_000 + RETIRE_WAIT_MS + 60_000));
    expect(retired.planned.slots).toEqual({ A: 'absent', B: 'active' });
    expect(retired.record).toEqual({ slots: { A: { state: 'absent' }, B: { state: 'active', publishedAt: at(60_000).toISOString() } } });
  });

  it('refuses to retire a key whose tokens may still be live, saying until when and how long to wait', () => {
    const added = stepAndDeploy(initial, start, 'add', at(0), at(0));
    const activated = stepAndDeploy(added.record, added.stack, 'activate', at(JWKS_CACHE_SECONDS * 1000), at(400_000));
    const tooEarly = at(400_000 + RETIRE_WAIT_MS - 1000);
    let refusal: unknown;
    try {
      planStep('retire', activated.record, activated.stack, tooEarly);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RotationTooEarly);
    expect((refusal as RotationTooEarly).notBefore).toEqual(at(400_000 + RETIRE_WAIT_MS));
    expect((refusal as Error).message).toContain('Wait 1 s before "retire"');
    expect((refusal as Error).message).toContain('MaxTokenLifetimeSeconds (3600 s) + ClockSkewSeconds (30 s)');
    expect(planStep('retire', activated.record, activated.stack, at(400_000 + RETIRE_WAIT_MS)).slots).toEqual({ A: 'absent', B: 'active' });
  });

  it('measures the wait from the deployment, however late after the samconfig edit it ran', () => {
    const added = stepAndDeploy(initial, start, 'add', at(0), at(0));
    // Written at 5 min, deployed only 10 h later: tokens signed by A until then live an hour past that.
    const late = at(10 * 3600_000);
    const activated = stepAndDeploy(added.record, added.stack, 'activate', at(300_000), late);
    expect(() => planStep('retire', activated.record, activated.stack, at(300_000 + RETIRE_WAIT_MS))).toThrow(RotationTooEarly);
    expect(() => planStep('retire', activated.record, activated.stack, new Date(late.getTime() + RETIRE_WAIT_MS))).not.toThrow();
  });

  it('refuses to activate a key before verifiers holding a cached JWKS can know it', () => {
    const added = stepAndDeploy(initial, start, 'add', at(0), at(10_000));
    expect(() => planStep('activate', added.record, added.stack, at(10_000 + JWKS_CACHE_SECONDS * 1000 - 1))).toThrow(/Wait 1 s before "activate"/);
  });

  it('retires an added key that never signed at once (abandoning a rotation)', () => {
    const added = stepAndDeploy(initial, start, 'add', at(0), at(0));
    expect(planStep('retire', added.record, added.stack, at(1)).slots).toEqual({ A: 'active', B: 'absent' });
  });

  it('refuses a second step while the first is written to samconfig.toml but not deployed', () => {
    const planned = planStep('add', initial, start, at(0));
    const stillOld = reconcile(planned.record, start, planned.slots);
    expect(stillOld.pending).toMatchObject({ step: 'add' });
    expect(() => planStep('activate', stillOld, start, at(3600_000))).toThrow(/"add" step .* not deployed: run `sam build && sam deploy`/);
  });

  it('forgets a written step whose samconfig.toml edit was undone before deploying', () => {
    const planned = planStep('add', initial, start, at(0));
    expect(reconcile(planned.record, start, { A: 'active', B: 'absent' })).toEqual(initial);
  });

  it('refuses when the stack was deployed with other slots than recorded (command-line --parameter-overrides)', () => {
    const added = stepAndDeploy(initial, start, 'add', at(0), at(0));
    // `sam deploy --parameter-overrides StageName=v1` replaced the list: the slots fell back to the defaults.
    const reverted = deployed({ A: 'active', B: 'absent' }, at(5000));
    expect(() => reconcile(added.record, reverted, { A: 'active', B: 'previous' })).toThrow(/--parameter-overrides on the command line/);
  });

  it('refuses when samconfig.toml and the deployed stack disagree and no step explains it', () => {
    expect(() => reconcile(undefined, start, { A: 'previous', B: 'active' })).toThrow(
      /samconfig.toml says KeyAState=previous KeyBState=active but the stack runs KeyAState=active KeyBState=absent/,
    );
  });

  it('without a record, assumes the latest deployment is when a previous key stopped signing (the wait can only grow)', () => {
    const midRotation = deployed({ A: 'previous', B: 'active' }, at(0));
    const record = reconcile(undefined, midRotation, { A: 'previous', B: 'active' });
    expect(record.slots.A).toEqual({ state: 'previous', publishedAt: T0.toISOString(), stoppedSigningAt: T0.toISOString() });
    expect(() => planStep('retire', record, midRotation, at(RETIRE_WAIT_MS - 1))).toThrow(RotationTooEarly);
  });

  it('refuses every step while a deployment is in progress', () => {
    expect(() => reconcile(initial, deployed({ A: 'active', B: 'absent' }, T0, 'UPDATE_IN_PROGRESS'), { A: 'active', B: 'absent' })).toThrow(
      /UPDATE_IN_PROGRESS/,
    );
  });

  it('refuses a third key: add with both slots in use, activate or retire with nothing to act on', () => {
    const added = stepAndDeploy(initial, start, 'add', at(0), at(0));
    expect(() => planStep('add', added.record, added.stack, at(1))).toThrow(/Both key slots are in use/);
    expect(() => planStep('activate', initial, start, at(1))).toThrow(RotationStepRefused);
    expect(() => planStep('retire', initial, start, at(1))).toThrow(/no previous key/);
  });
});
