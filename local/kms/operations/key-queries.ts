import { keyArn } from '../arn.js';
import { keyMetadata } from '../key-metadata.js';
import { resolveKey } from '../key-reference.js';
import { paginate } from '../pagination.js';
import { checkGrantTokens, keyIdMember, limitMember, markerMember } from './members.js';
import type { Operation } from './operation.js';

/** DescribeKey, ListKeys and ListResourceTags: reads that work in every key state. */

export const describeKey: Operation = async (body, { store, scope }) => {
  const keyId = keyIdMember(body);
  checkGrantTokens(body);
  const key = resolveKey(store, scope, keyId, { aliases: true });
  return { KeyMetadata: keyMetadata(key, scope) };
};

export const listKeys: Operation = async (body, { store, scope }) => {
  const page = paginate(store.keys(scope.region), limitMember(body, 1000, 100), markerMember(body));
  return {
    Keys: page.items.map((key) => ({ KeyId: key.keyId, KeyArn: keyArn(scope, key.keyId) })),
    ...page.response,
  };
};

export const listResourceTags: Operation = async (body, { store, scope }) => {
  const keyId = keyIdMember(body);
  const limit = limitMember(body, 50, 50);
  const marker = markerMember(body);
  const key = resolveKey(store, scope, keyId, { aliases: false });
  const page = paginate(key.tags, limit, marker);
  return { Tags: page.items, ...page.response };
};
