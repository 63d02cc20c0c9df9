import { keyArn } from '../arn.js';
import { InvalidStateError } from '../errors.js';
import { epochSeconds } from '../key-metadata.js';
import { assertNotPendingDeletion, resolveKey } from '../key-reference.js';
import { optionalInteger } from '../params.js';
import { keyIdMember } from './members.js';
import type { Operation } from './operation.js';

/** EnableKey, DisableKey, ScheduleKeyDeletion and CancelKeyDeletion: the key state machine. */

const DAY_MS = 86_400_000;

export const enableKey: Operation = async (body, { store, scope }) => {
  const key = resolveKey(store, scope, keyIdMember(body), { aliases: false });
  assertNotPendingDeletion(key, scope);
  if (key.state !== 'Enabled') await store.putKey({ ...key, state: 'Enabled' });
  return undefined;
};

export const disableKey: Operation = async (body, { store, scope }) => {
  const key = resolveKey(store, scope, keyIdMember(body), { aliases: false });
  assertNotPendingDeletion(key, scope);
  if (key.state !== 'Disabled') await store.putKey({ ...key, state: 'Disabled' });
  return undefined;
};

export const scheduleKeyDeletion: Operation = async (body, { store, scope, now }) => {
  const keyId = keyIdMember(body);
  const pendingWindowInDays = optionalInteger(body, 'PendingWindowInDays', { min: 7, max: 30 }) ?? 30;
  const key = resolveKey(store, scope, keyId, { aliases: false });
  assertNotPendingDeletion(key, scope);
  const deletionDate = now() + pendingWindowInDays * DAY_MS;
  await store.putKey({ ...key, state: 'PendingDeletion', deletionDate, pendingWindowInDays });
  return {
    KeyId: keyArn(scope, key.keyId),
    DeletionDate: epochSeconds(deletionDate),
    KeyState: 'PendingDeletion',
    PendingWindowInDays: pendingWindowInDays,
  };
};

/** A key rescued from deletion comes back Disabled, so it is not used again by accident. */
export const cancelKeyDeletion: Operation = async (body, { store, scope }) => {
  const key = resolveKey(store, scope, keyIdMember(body), { aliases: false });
  if (key.state !== 'PendingDeletion') throw new InvalidStateError(`${keyArn(scope, key.keyId)} is not pending deletion.`);
  const { deletionDate: _deletionDate, pendingWindowInDays: _pendingWindowInDays, ...rest } = key;
  await store.putKey({ ...rest, state: 'Disabled' });
  return { KeyId: keyArn(scope, key.keyId) };
};
