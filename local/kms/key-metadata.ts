import { keyArn, type Scope } from './arn.js';
import type { KeyRecord } from './key-record.js';
import { RSA_SIGNING_ALGORITHMS } from './signing-algorithms.js';

/** KMS timestamps are epoch seconds (with a fraction) on the wire. */
export const epochSeconds = (ms: number): number => ms / 1000;

export const signingAlgorithms = (): string[] => RSA_SIGNING_ALGORITHMS.map((algorithm) => algorithm.spec);

/** The KeyMetadata structure of DescribeKey and CreateKey, as KMS shapes it for an RSA signing key. */
export function keyMetadata(key: KeyRecord, scope: Scope): Record<string, unknown> {
  return {
    AWSAccountId: scope.accountId,
    KeyId: key.keyId,
    Arn: keyArn(scope, key.keyId),
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    ...(key.deletionDate !== undefined && { DeletionDate: epochSeconds(key.deletionDate) }),
    ...(key.pendingWindowInDays !== undefined && { PendingDeletionWindowInDays: key.pendingWindowInDays }),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    SigningAlgorithms: signingAlgorithms(),
    MultiRegion: false,
  };
}
