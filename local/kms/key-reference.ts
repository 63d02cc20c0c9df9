import { aliasArn, keyArn, parseKmsArn, type Scope } from './arn.js';
import { DisabledError, InvalidStateError, NotFoundError } from './errors.js';
import type { KeyRecord } from './key-record.js';
import type { KeyStore } from './key-store.js';

/**
 * Turns a KeyId parameter into a key the way KMS does. Cryptographic operations and DescribeKey
 * take a key id, key ARN, alias name or alias ARN; key management operations take only the first two.
 */
export interface ReferenceRules {
  aliases: boolean;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function byKeyId(store: KeyStore, scope: Scope, keyId: string): KeyRecord {
  if (!KEY_ID.test(keyId)) throw new NotFoundError(`Invalid keyId ${keyId}`);
  const key = store.key(scope.region, keyId);
  if (!key) throw new NotFoundError(`Key '${keyArn(scope, keyId)}' does not exist`);
  return key;
}

function byAlias(store: KeyStore, scope: Scope, aliasName: string): KeyRecord {
  const alias = store.alias(scope.region, aliasName);
  const key = alias && store.key(scope.region, alias.targetKeyId);
  if (!key) throw new NotFoundError(`Alias ${aliasArn(scope, aliasName)} is not found.`);
  return key;
}

export function resolveKey(store: KeyStore, scope: Scope, reference: string, rules: ReferenceRules): KeyRecord {
  if (reference.startsWith('arn:')) {
    const arn = parseKmsArn(reference);
    if (!arn) throw new NotFoundError(`Invalid arn ${reference}`);
    // Another region's or account's resource is simply not visible from here.
    if (arn.region !== scope.region || arn.accountId !== scope.accountId) {
      throw new NotFoundError(`Key '${reference}' does not exist`);
    }
    if (arn.resource.startsWith('key/')) return byKeyId(store, scope, arn.resource.slice('key/'.length));
    if (rules.aliases && arn.resource.startsWith('alias/')) return byAlias(store, scope, arn.resource);
    throw new NotFoundError(`Invalid arn ${reference}`);
  }
  if (reference.startsWith('alias/')) {
    if (!rules.aliases) throw new NotFoundError(`Invalid keyId ${reference}`);
    return byAlias(store, scope, reference);
  }
  return byKeyId(store, scope, reference);
}

/** Key material may only be used while the key is Enabled (KMS "key states" table). */
export function assertUsable(key: KeyRecord, scope: Scope): void {
  const arn = keyArn(scope, key.keyId);
  if (key.state === 'Disabled') throw new DisabledError(arn);
  if (key.state === 'PendingDeletion') throw new InvalidStateError(`${arn} is pending deletion.`);
}

export function assertNotPendingDeletion(key: KeyRecord, scope: Scope): void {
  if (key.state === 'PendingDeletion') throw new InvalidStateError(`${keyArn(scope, key.keyId)} is pending deletion.`);
}
