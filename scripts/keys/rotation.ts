// The signing-key rotation of a deployed stack as a state machine over the template's two slots
// (parameters KeyAState / KeyBState). Pure: what is deployed, what samconfig.toml says and the clock come in;
// the next slot states and the record of when each key was published and stopped signing come out.
//
// The record exists because the one irreversible step, retiring a key, is safe only once every token that key
// signed has expired: a token signed just before the key stopped signing lives MaxTokenLifetimeSeconds, and the
// authorizer accepts it ClockSkewSeconds longer (RFC 9068 §4: exp is validated, with the skew the authorizer
// allows). "Stopped signing" is when the deployment that moved it out of "active" completed, which only
// CloudFormation knows, so each step is confirmed against the deployed stack before the next one is allowed.

export type SlotName = 'A' | 'B';
export type SlotState = 'active' | 'previous' | 'absent';
export type Slots = Record<SlotName, SlotState>;
export type RotationStep = 'add' | 'activate' | 'retire';

export const SLOT_NAMES: readonly SlotName[] = ['A', 'B'];

/** The discovery function serves the JWKS with `Cache-Control: public, max-age=300` (functions/discovery). */
export const JWKS_CACHE_SECONDS = 300;
/** Requests already running when the update completed may still sign with the old key (function Timeout 10 s). */
export const IN_FLIGHT_MARGIN_SECONDS = 60;

export interface SlotRecord {
  state: SlotState;
  /** When the deployment that made this key present (and published in the JWKS) completed. */
  publishedAt?: string;
  /** When the deployment that moved this key out of "active" completed; absent while it signs or if it never did. */
  stoppedSigningAt?: string;
}

export interface RotationRecord {
  slots: Record<SlotName, SlotRecord>;
  /** A step written to samconfig.toml and not yet seen deployed. */
  pending?: { step: RotationStep; slots: Slots; editedAt: string };
}

export interface DeployedStack {
  slots: Slots;
  /** LastUpdatedTime (or CreationTime) of the stack: when its latest deployment completed. */
  updatedAt: Date;
  /** CloudFormation's StackStatus. */
  status: string;
  /** A create/update/rollback still running, or failed: its slot states are not settled. */
  inProgress: boolean;
  maxTokenLifetimeSeconds: number;
  clockSkewSeconds: number;
}

export class RotationStepRefused extends Error {
  override readonly name = 'RotationStepRefused';
}

/** Refused because of time only: the same step succeeds from `notBefore`. */
export class RotationTooEarly extends RotationStepRefused {
  constructor(
    message: string,
    readonly notBefore: Date,
  ) {
    super(message);
  }
}

export function slotStates(record: RotationRecord): Slots {
  return { A: record.slots.A.state, B: record.slots.B.state };
}

export function describeSlots(slots: Slots): string {
  return `KeyAState=${slots.A} KeyBState=${slots.B}`;
}

function sameSlots(a: Slots, b: Slots): boolean {
  return a.A === b.A && a.B === b.B;
}

/**
 * Brings the record up to date with the deployed stack: a pending step that is now deployed is confirmed (and
 * its completion time recorded); a pending step whose samconfig edit was undone is dropped. Refuses when the
 * stack, samconfig.toml and the record disagree in any other way, since a plain `sam deploy` would then deploy
 * slot states nobody chose.
 */
export function reconcile(record: RotationRecord | undefined, deployed: DeployedStack, configured: Slots): RotationRecord {
  if (deployed.inProgress) throw new RotationStepRefused(`The stack is ${deployed.status}: wait until its deployment has completed (or fix it) first.`);
  const at = deployed.updatedAt.toISOString();
  if (record === undefined) {
    if (!sameSlots(configured, deployed.slots)) throw drift(configured, deployed.slots);
    // No history: the latest deployment is the earliest moment the keys can be known to be in these states,
    // so assume it (a later time only makes the waits longer).
    return { slots: fromDeployed(deployed.slots, at) };
  }
  const { pending } = record;
  if (pending !== undefined) {
    if (sameSlots(deployed.slots, pending.slots)) {
      if (!sameSlots(configured, pending.slots)) throw drift(configured, deployed.slots);
      return { slots: applyTransition(record, pending.slots, at) };
    }
    if (sameSlots(deployed.slots, slotStates(record))) {
      // Written, not deployed. Undone by hand in samconfig.toml: forget it.
      if (sameSlots(configured, slotStates(record))) return { slots: record.slots };
      if (sameSlots(configured, pending.slots)) return record;
    }
    throw drift(configured, deployed.slots);
  }
  if (!sameSlots(deployed.slots, slotStates(record))) {
    throw new RotationStepRefused(
      `The stack runs ${describeSlots(deployed.slots)}, not the ${describeSlots(slotStates(record))} this command recorded: ` +
        'it was deployed with other parameters (a --parameter-overrides on the command line replaces all of samconfig.toml\'s). ' +
        'Set the slots in samconfig.toml to what you intend and deploy, or delete the record file to start from what is deployed.',
    );
  }
  if (!sameSlots(configured, deployed.slots)) throw drift(configured, deployed.slots);
  return record;
}

function drift(configured: Slots, deployed: Slots): RotationStepRefused {
  return new RotationStepRefused(
    `samconfig.toml says ${describeSlots(configured)} but the stack runs ${describeSlots(deployed)}. ` +
      'Run `sam build && sam deploy` if samconfig.toml holds what you intend, or put the deployed states back in it.',
  );
}

function fromDeployed(slots: Slots, at: string): Record<SlotName, SlotRecord> {
  const record = (state: SlotState): SlotRecord =>
    state === 'absent' ? { state } : state === 'active' ? { state, publishedAt: at } : { state, publishedAt: at, stoppedSigningAt: at };
  return { A: record(slots.A), B: record(slots.B) };
}

function applyTransition(record: RotationRecord, next: Slots, at: string): Record<SlotName, SlotRecord> {
  const moved = (name: SlotName): SlotRecord => {
    const before = record.slots[name];
    const state = next[name];
    if (state === 'absent') return { state };
    if (before.state === 'absent') return { state, publishedAt: at };
    if (before.state === 'active' && state === 'previous') return { ...before, state, stoppedSigningAt: at };
    if (state === 'active') return { state, ...(before.publishedAt === undefined ? {} : { publishedAt: before.publishedAt }) };
    return { ...before, state };
  };
  return { A: moved('A'), B: moved('B') };
}

export interface PlannedStep {
  step: RotationStep;
  /** The slot states to write to samconfig.toml. */
  slots: Slots;
  record: RotationRecord;
  /** The slot whose state the step changes most visibly (the added, activated or retired key). */
  slot: SlotName;
}

/** The next slot states for a step on a reconciled record, or a refusal saying why and for how long. */
export function planStep(step: RotationStep, record: RotationRecord, deployed: DeployedStack, now: Date): PlannedStep {
  if (record.pending !== undefined) {
    throw new RotationStepRefused(
      `The "${record.pending.step}" step (${describeSlots(record.pending.slots)}) is in samconfig.toml but not deployed: ` +
        'run `sam build && sam deploy` first.',
    );
  }
  const current = slotStates(record);
  const active = SLOT_NAMES.find((name) => current[name] === 'active');
  const previous = SLOT_NAMES.find((name) => current[name] === 'previous');
  const free = SLOT_NAMES.find((name) => current[name] === 'absent');
  let slot: SlotName;
  let slots: Slots;
  switch (step) {
    case 'add':
      if (free === undefined || active === undefined) {
        throw new RotationStepRefused(`Both key slots are in use (${describeSlots(current)}): retire the previous key first.`);
      }
      slot = free;
      slots = { ...current, [free]: 'previous' };
      break;
    case 'activate': {
      if (previous === undefined || active === undefined) throw new RotationStepRefused('There is no added key to activate: add one first.');
      const slotRecord = record.slots[previous];
      // A key that never signed is unknown to verifiers holding a cached JWKS; one that signed before is in it.
      if (slotRecord.stoppedSigningAt === undefined) {
        const publishedAt = new Date(slotRecord.publishedAt ?? deployed.updatedAt);
        refuseUntil(new Date(publishedAt.getTime() + JWKS_CACHE_SECONDS * 1000), now, `Key ${previous} was published at ${publishedAt.toISOString()}; verifiers may cache the JWKS for ${JWKS_CACHE_SECONDS} s and refuse its tokens until`, 'activate');
      }
      slot = previous;
      slots = { ...current, [previous]: 'active', [active]: 'previous' };
      break;
    }
    case 'retire': {
      if (previous === undefined) throw new RotationStepRefused('There is no previous key to retire.');
      const stoppedSigningAt = record.slots[previous].stoppedSigningAt;
      if (stoppedSigningAt !== undefined) {
        const waitSeconds = deployed.maxTokenLifetimeSeconds + deployed.clockSkewSeconds + IN_FLIGHT_MARGIN_SECONDS;
        const stopped = new Date(stoppedSigningAt);
        refuseUntil(
          new Date(stopped.getTime() + waitSeconds * 1000),
          now,
          `Key ${previous} stopped signing at ${stopped.toISOString()}; its tokens live up to MaxTokenLifetimeSeconds (${deployed.maxTokenLifetimeSeconds} s) ` +
            `+ ClockSkewSeconds (${deployed.clockSkewSeconds} s) + ${IN_FLIGHT_MARGIN_SECONDS} s for requests in flight, so tokens it signed are still accepted until`,
          'retire',
        );
      }
      slot = previous;
      slots = { ...current, [previous]: 'absent' };
      break;
    }
  }
  return { step, slots, slot, record: { ...record, pending: { step, slots, editedAt: now.toISOString() } } };
}

function refuseUntil(notBefore: Date, now: Date, reason: string, step: RotationStep): void {
  if (now.getTime() >= notBefore.getTime()) return;
  const wait = formatDuration(Math.ceil((notBefore.getTime() - now.getTime()) / 1000));
  throw new RotationTooEarly(`${reason} ${notBefore.toISOString()}. Wait ${wait} before "${step}".`, notBefore);
}

export function formatDuration(totalSeconds: number): string {
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', s > 0 || totalSeconds === 0 ? `${s} s` : ''].filter(Boolean).join(' ');
}
