import { CreateKeyCommand, ScheduleKeyDeletionCommand, type KMSClient } from '@aws-sdk/client-kms';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local twin of the template's two key slots (parameters KeyAState / KeyBState, resources
 * SigningKeyA / SigningKeyB): which KMS key sits in which slot and in what state. The rotation
 * runbook is the same here as on AWS: add → activate → (wait one max token lifetime) → retire.
 */
export type SlotName = 'A' | 'B';
export type SlotState = 'active' | 'previous';

export interface KeySlot {
  keyId: string;
  arn: string;
  state: SlotState;
}

export type KeySlots = Partial<Record<SlotName, KeySlot>>;

export class RotationStepRefused extends Error {
  override readonly name = 'RotationStepRefused';
}

const SLOT_NAMES: readonly SlotName[] = ['A', 'B'];
const fileName = 'signing-keys.json';

export async function readKeySlots(dataDir: string): Promise<KeySlots> {
  try {
    return JSON.parse(await readFile(join(dataDir, fileName), 'utf8')) as KeySlots;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

export async function writeKeySlots(dataDir: string, slots: KeySlots): Promise<void> {
  const path = join(dataDir, fileName);
  await writeFile(`${path}.tmp`, JSON.stringify(slots, null, 2));
  await rename(`${path}.tmp`, path);
}

async function createSigningKey(kms: KMSClient, slot: SlotName): Promise<{ keyId: string; arn: string }> {
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: `local access-token signing key (slot ${slot})` }),
  );
  if (KeyMetadata?.KeyId === undefined || KeyMetadata.Arn === undefined) throw new Error('KMS CreateKey returned no key');
  return { keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}

export function activeSlot(slots: KeySlots): SlotName | undefined {
  return SLOT_NAMES.find((name) => slots[name]?.state === 'active');
}

/** First start: slot A gets a fresh key and signs. */
export async function ensureActiveKey(kms: KMSClient, slots: KeySlots): Promise<KeySlots> {
  if (activeSlot(slots) !== undefined) return slots;
  return { ...slots, A: { ...(await createSigningKey(kms, 'A')), state: 'active' } };
}

/** Step 1: a new key in the free slot, published and accepted but not yet signing. */
export async function addKey(kms: KMSClient, slots: KeySlots): Promise<KeySlots> {
  const free = SLOT_NAMES.find((name) => slots[name] === undefined);
  if (free === undefined) throw new RotationStepRefused('Both key slots are in use: retire the previous key first.');
  return { ...slots, [free]: { ...(await createSigningKey(kms, free)), state: 'previous' } };
}

/** Step 2: the added key signs; the old one only verifies until its last tokens expire. */
export function activateNewKey(slots: KeySlots): KeySlots {
  const current = activeSlot(slots);
  const next = SLOT_NAMES.find((name) => name !== current && slots[name] !== undefined);
  if (current === undefined || next === undefined) throw new RotationStepRefused('There is no added key to activate: add one first.');
  return { ...slots, [current]: { ...slots[current]!, state: 'previous' }, [next]: { ...slots[next]!, state: 'active' } };
}

/** Step 3 (after one max token lifetime): the previous key leaves the JWKS and KMS schedules its deletion. */
export async function retirePreviousKey(kms: KMSClient, slots: KeySlots): Promise<KeySlots> {
  const previous = SLOT_NAMES.find((name) => slots[name]?.state === 'previous');
  if (previous === undefined) throw new RotationStepRefused('There is no previous key to retire.');
  await kms.send(new ScheduleKeyDeletionCommand({ KeyId: slots[previous]!.keyId, PendingWindowInDays: 7 }));
  const rest = { ...slots };
  delete rest[previous];
  return rest;
}

/** Template parameter values for the current slots. */
export function keySlotParameters(slots: KeySlots): Record<string, string> {
  return { KeyAState: slots.A?.state ?? 'absent', KeyBState: slots.B?.state ?? 'absent' };
}

/** Local values for the template's key resources (`!Ref` → key id, `!GetAtt .Arn` → ARN). */
export function keySlotResources(slots: KeySlots): Record<string, { ref: string; attributes: Record<string, string> }> {
  const resources: Record<string, { ref: string; attributes: Record<string, string> }> = {};
  for (const name of SLOT_NAMES) {
    const slot = slots[name];
    if (slot !== undefined) resources[`SigningKey${name}`] = { ref: slot.keyId, attributes: { Arn: slot.arn, KeyId: slot.keyId } };
  }
  return resources;
}
