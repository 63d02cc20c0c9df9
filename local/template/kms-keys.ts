// AWS::KMS::Key resources, including those whose Condition is false, so the local stack can create the
// keys that exist and retire the ones a parameter change (key rotation) has made absent.
import { resolve } from './intrinsics.js';
import { optionalField, optionalString } from './shape.js';
import type { Stack } from './stack.js';

export interface KmsKeyDescription {
  logicalId: string;
  /** False when the key's Condition is false: in AWS the key would not exist (or would be deleted). */
  present: boolean;
  condition?: string;
  /** Defaults as in CloudFormation: SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT. */
  keySpec: string;
  keyUsage: string;
  description?: string;
}

export function describeKmsKeys(stack: Stack): Record<string, KmsKeyDescription> {
  const keys: Record<string, KmsKeyDescription> = {};
  for (const resource of stack.resources) {
    if (resource.type !== 'AWS::KMS::Key') continue;
    const at = `Resources.${resource.logicalId}.Properties`;
    const present = stack.exists(resource);
    // Only a key that exists is resolved: an absent one may well name things that are absent too.
    const text = (name: string) =>
      present ? optionalString(resolve(resource.properties[name], stack.scope, `${at}.${name}`), `${at}.${name}`) : undefined;
    keys[resource.logicalId] = {
      logicalId: resource.logicalId,
      present,
      ...optionalField('condition', resource.condition),
      keySpec: text('KeySpec') ?? 'SYMMETRIC_DEFAULT',
      keyUsage: text('KeyUsage') ?? 'ENCRYPT_DECRYPT',
      ...optionalField('description', text('Description')),
    };
  }
  return keys;
}
