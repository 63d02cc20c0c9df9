import type { KeyObject } from 'node:crypto';
import type { RsaKeySpec } from './key-specs.js';

/** The key states this emulator can reach; KMS has more (Creating, PendingImport, ...). */
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

export interface KeyRecord {
  keyId: string;
  region: string;
  keySpec: RsaKeySpec;
  keyUsage: 'SIGN_VERIFY';
  description: string;
  tags: readonly Tag[];
  policy?: string;
  /** Epoch milliseconds; the wire format is epoch seconds. */
  creationDate: number;
  state: KeyState;
  deletionDate?: number;
  pendingWindowInDays?: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface AliasRecord {
  aliasName: string;
  region: string;
  targetKeyId: string;
  creationDate: number;
  lastUpdatedDate: number;
}
