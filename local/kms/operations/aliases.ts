import { aliasArn } from '../arn.js';
import { AlreadyExistsError, NotFoundError } from '../errors.js';
import { epochSeconds } from '../key-metadata.js';
import { assertNotPendingDeletion, resolveKey } from '../key-reference.js';
import { optionalString } from '../params.js';
import { aliasNameMember, keyIdMember, limitMember, markerMember } from './members.js';
import { paginate } from '../pagination.js';
import type { Operation, OperationContext } from './operation.js';

/** CreateAlias, UpdateAlias, DeleteAlias and ListAliases. Aliases point at keys by id or key ARN only. */

function aliasTarget(targetKeyId: string, { store, scope }: OperationContext) {
  const key = resolveKey(store, scope, targetKeyId, { aliases: false });
  assertNotPendingDeletion(key, scope);
  return key;
}

export const createAlias: Operation = async (body, context) => {
  const aliasName = aliasNameMember(body);
  const targetKeyId = keyIdMember(body, 'TargetKeyId');
  const { store, scope, now } = context;
  if (store.alias(scope.region, aliasName)) {
    throw new AlreadyExistsError(`An alias with the name ${aliasArn(scope, aliasName)} already exists`);
  }
  const key = aliasTarget(targetKeyId, context);
  const at = now();
  await store.putAlias({ aliasName, region: scope.region, targetKeyId: key.keyId, creationDate: at, lastUpdatedDate: at });
  return undefined;
};

export const updateAlias: Operation = async (body, context) => {
  const aliasName = aliasNameMember(body);
  const targetKeyId = keyIdMember(body, 'TargetKeyId');
  const { store, scope, now } = context;
  const alias = store.alias(scope.region, aliasName);
  if (!alias) throw new NotFoundError(`Alias ${aliasArn(scope, aliasName)} is not found.`);
  const key = aliasTarget(targetKeyId, context);
  await store.putAlias({ ...alias, targetKeyId: key.keyId, lastUpdatedDate: now() });
  return undefined;
};

export const deleteAlias: Operation = async (body, { store, scope }) => {
  const aliasName = aliasNameMember(body);
  if (!store.alias(scope.region, aliasName)) throw new NotFoundError(`Alias ${aliasArn(scope, aliasName)} is not found.`);
  await store.deleteAlias(scope.region, aliasName);
  return undefined;
};

export const listAliases: Operation = async (body, { store, scope }) => {
  const keyId = optionalString(body, 'KeyId', { min: 1, max: 2048 });
  const limit = limitMember(body, 100, 50);
  const marker = markerMember(body);
  const target = keyId === undefined ? undefined : resolveKey(store, scope, keyId, { aliases: false }).keyId;
  const aliases = store.aliases(scope.region).filter((alias) => target === undefined || alias.targetKeyId === target);
  const page = paginate(aliases, limit, marker);
  return {
    Aliases: page.items.map((alias) => ({
      AliasName: alias.aliasName,
      AliasArn: aliasArn(scope, alias.aliasName),
      TargetKeyId: alias.targetKeyId,
      CreationDate: epochSeconds(alias.creationDate),
      LastUpdatedDate: epochSeconds(alias.lastUpdatedDate),
    })),
    ...page.response,
  };
};
