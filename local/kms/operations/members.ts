import { InvalidAliasNameError } from '../errors.js';
import { optionalInteger, optionalString, optionalStringList, requiredString, type RequestBody } from '../params.js';

/** Request members shared by several operations, with the constraints of the KMS API reference. */

export const keyIdMember = (body: RequestBody, name = 'KeyId'): string => requiredString(body, name, { min: 1, max: 2048 });

/** Grants are not emulated; the tokens are checked for shape and otherwise ignored. */
export const checkGrantTokens = (body: RequestBody): void => void optionalStringList(body, 'GrantTokens', { max: 10 });

export const limitMember = (body: RequestBody, max: number, fallback: number): number =>
  optionalInteger(body, 'Limit', { min: 1, max }) ?? fallback;

export const markerMember = (body: RequestBody): string | undefined =>
  optionalString(body, 'Marker', { min: 1, max: 1024, pattern: /^[\u0020-\u00FF]*$/ });

/** Alias names are `alias/<name>`; the `alias/aws/` space belongs to AWS managed keys. */
export function aliasNameMember(body: RequestBody): string {
  const aliasName = requiredString(body, 'AliasName', { min: 1, max: 256, pattern: /^[a-zA-Z0-9:/_-]+$/ });
  if (!aliasName.startsWith('alias/') || aliasName.length === 'alias/'.length) {
    throw new InvalidAliasNameError(`Alias must start with the prefix "alias/": ${aliasName}`);
  }
  if (aliasName.startsWith('alias/aws/')) {
    throw new InvalidAliasNameError(`Alias ${aliasName} uses the reserved prefix "alias/aws/"`);
  }
  return aliasName;
}
