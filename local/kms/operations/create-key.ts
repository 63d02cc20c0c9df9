import { createPublicKey, generateKeyPair as generateKeyPairCallback, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { TagError, UnsupportedOperationError, ValidationError } from '../errors.js';
import type { KeyRecord, Tag } from '../key-record.js';
import { keyMetadata } from '../key-metadata.js';
import { CUSTOMER_MASTER_KEY_SPECS, isRsaKeySpec, KEY_SPECS, KEY_USAGES, ORIGINS, RSA_MODULUS_BITS, type KeySpec } from '../key-specs.js';
import { optionalBoolean, optionalEnum, optionalList, optionalString, requiredString, type RequestBody } from '../params.js';
import type { Operation } from './operation.js';

const generateKeyPair = promisify(generateKeyPairCallback);

function readTags(body: RequestBody): Tag[] {
  const tags = (optionalList(body, 'Tags', { max: 50 }) ?? []).map((tag) => ({
    TagKey: requiredString(tag, 'TagKey', { min: 1, max: 128 }),
    TagValue: requiredString(tag, 'TagValue', { min: 0, max: 256 }),
  }));
  const keys = new Set(tags.map((tag) => tag.TagKey));
  if (keys.size !== tags.length) throw new TagError('Tag keys must be unique');
  return tags;
}

/** KeySpec replaced CustomerMasterKeySpec; KMS accepts either, never both, and defaults to symmetric. */
function readKeySpec(body: RequestBody): KeySpec {
  const keySpec = optionalEnum(body, 'KeySpec', KEY_SPECS);
  const legacySpec = optionalEnum(body, 'CustomerMasterKeySpec', CUSTOMER_MASTER_KEY_SPECS);
  if (keySpec && legacySpec) throw new ValidationError('You cannot specify KeySpec and CustomerMasterKeySpec in the same request.');
  return keySpec ?? legacySpec ?? 'SYMMETRIC_DEFAULT';
}

export const createKey: Operation = async (body, { store, scope, now }) => {
  const policy = optionalString(body, 'Policy', { min: 1, max: 131072 });
  const description = optionalString(body, 'Description', { min: 0, max: 8192 }) ?? '';
  const keyUsage = optionalEnum(body, 'KeyUsage', KEY_USAGES) ?? 'ENCRYPT_DECRYPT';
  const keySpec = readKeySpec(body);
  const origin = optionalEnum(body, 'Origin', ORIGINS) ?? 'AWS_KMS';
  const tags = readTags(body);
  optionalBoolean(body, 'BypassPolicyLockoutSafetyCheck');
  const multiRegion = optionalBoolean(body, 'MultiRegion') ?? false;
  const customKeyStoreId = optionalString(body, 'CustomKeyStoreId', { min: 1, max: 64 });
  const xksKeyId = optionalString(body, 'XksKeyId', { min: 1, max: 128 });

  if (customKeyStoreId !== undefined || xksKeyId !== undefined || origin !== 'AWS_KMS') {
    throw new UnsupportedOperationError('Only keys with Origin AWS_KMS outside custom key stores can be created here.');
  }
  if (multiRegion) throw new UnsupportedOperationError('Multi-Region keys are not supported here.');
  if (!isRsaKeySpec(keySpec)) {
    throw new UnsupportedOperationError(`KeySpec ${keySpec} is not supported here; use RSA_2048, RSA_3072 or RSA_4096 with KeyUsage SIGN_VERIFY.`);
  }
  if (keyUsage !== 'SIGN_VERIFY' && keyUsage !== 'ENCRYPT_DECRYPT') {
    throw new ValidationError(`KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}.`);
  }
  if (keyUsage !== 'SIGN_VERIFY') {
    throw new UnsupportedOperationError(`KeyUsage ${keyUsage} is not supported here; RSA keys must use SIGN_VERIFY.`);
  }

  const { privateKey } = await generateKeyPair('rsa', { modulusLength: RSA_MODULUS_BITS[keySpec], publicExponent: 0x10001 });
  const key: KeyRecord = {
    keyId: randomUUID(),
    region: scope.region,
    keySpec,
    keyUsage,
    description,
    tags,
    ...(policy !== undefined && { policy }),
    creationDate: now(),
    state: 'Enabled',
    privateKey,
    publicKey: createPublicKey(privateKey),
  };
  await store.putKey(key);
  return { KeyMetadata: keyMetadata(key, scope) };
};
