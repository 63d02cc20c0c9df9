import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases.js';
import { createKey } from './create-key.js';
import { describeKey, listKeys, listResourceTags } from './key-queries.js';
import { cancelKeyDeletion, disableKey, enableKey, scheduleKeyDeletion } from './key-state.js';
import type { Operation } from './operation.js';
import { getPublicKey, sign, verify } from './signing.js';

/** The TrentService operations this emulator answers, by the name in `X-Amz-Target`. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  EnableKey: enableKey,
  DisableKey: disableKey,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  GetPublicKey: getPublicKey,
  Sign: sign,
  Verify: verify,
};

export const findOperation = (name: string): Operation | undefined => (Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined);
