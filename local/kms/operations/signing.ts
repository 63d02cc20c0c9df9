import { keyArn } from '../arn.js';
import { DryRunError, InvalidKeyUsageError, InvalidSignatureError, ValidationError } from '../errors.js';
import type { KeyRecord } from '../key-record.js';
import { signingAlgorithms } from '../key-metadata.js';
import { assertUsable, resolveKey } from '../key-reference.js';
import { optionalBoolean, optionalEnum, requiredBlob, requiredEnum, type RequestBody } from '../params.js';
import { rsaSign, rsaVerify, type MessageType } from '../rsa-signature.js';
import { rsaSigningAlgorithm, SIGNING_ALGORITHM_SPECS, type RsaSigningAlgorithm, type SigningAlgorithmSpec } from '../signing-algorithms.js';
import { checkGrantTokens, keyIdMember } from './members.js';
import type { Operation, OperationContext } from './operation.js';

/** GetPublicKey, Sign and Verify: the operations that need the key material, so an Enabled key. */

export const getPublicKey: Operation = async (body, { store, scope }) => {
  const keyId = keyIdMember(body);
  checkGrantTokens(body);
  const key = resolveKey(store, scope, keyId, { aliases: true });
  assertUsable(key, scope);
  return {
    KeyId: keyArn(scope, key.keyId),
    PublicKey: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    SigningAlgorithms: signingAlgorithms(),
  };
};

interface SigningMembers {
  keyId: string;
  message: Buffer;
  messageType: MessageType | 'EXTERNAL_MU';
  spec: SigningAlgorithmSpec;
  dryRun: boolean;
}

function readSigningMembers(body: RequestBody): SigningMembers {
  const keyId = keyIdMember(body);
  // A RAW message is capped at 4096 bytes; bigger messages must be sent as a DIGEST.
  const message = requiredBlob(body, 'Message', { min: 1, max: 4096 });
  const messageType = optionalEnum(body, 'MessageType', ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const) ?? 'RAW';
  const spec = requiredEnum(body, 'SigningAlgorithm', SIGNING_ALGORITHM_SPECS);
  checkGrantTokens(body);
  const dryRun = optionalBoolean(body, 'DryRun') ?? false;
  return { keyId, message, messageType, spec, dryRun };
}

interface SigningRequest {
  key: KeyRecord;
  algorithm: RsaSigningAlgorithm;
  message: Buffer;
  messageType: MessageType;
}

/** The checks Sign and Verify share, in the order KMS applies them: key, state, algorithm, digest, dry run. */
function prepareSigning(members: SigningMembers, { store, scope }: OperationContext): SigningRequest {
  const { keyId, message, messageType, spec, dryRun } = members;
  const key = resolveKey(store, scope, keyId, { aliases: true });
  assertUsable(key, scope);
  const algorithm = rsaSigningAlgorithm(spec);
  if (!algorithm) throw new InvalidKeyUsageError(`${spec} is not a valid signing algorithm for ${keyArn(scope, key.keyId)}.`);
  if (messageType === 'EXTERNAL_MU') throw new ValidationError('MessageType EXTERNAL_MU is only valid for ML_DSA keys.');
  if (messageType === 'DIGEST' && message.length !== algorithm.digestLength) {
    throw new ValidationError(`Digest is invalid length for algorithm ${algorithm.spec}.`);
  }
  if (dryRun) throw new DryRunError();
  return { key, algorithm, message, messageType };
}

export const sign: Operation = async (body, context) => {
  const { key, algorithm, message, messageType } = prepareSigning(readSigningMembers(body), context);
  return {
    KeyId: keyArn(context.scope, key.keyId),
    Signature: rsaSign(key.privateKey, algorithm, message, messageType).toString('base64'),
    SigningAlgorithm: algorithm.spec,
  };
};

export const verify: Operation = async (body, context) => {
  const members = readSigningMembers(body);
  const signature = requiredBlob(body, 'Signature', { min: 1, max: 6144 });
  const { key, algorithm, message, messageType } = prepareSigning(members, context);
  // KMS reports a wrong signature as an error, never as SignatureValid: false.
  if (!rsaVerify(key.publicKey, algorithm, message, messageType, signature)) throw new InvalidSignatureError();
  return { KeyId: keyArn(context.scope, key.keyId), SignatureValid: true, SigningAlgorithm: algorithm.spec };
};
