import { KMSClient } from '@aws-sdk/client-kms';
import { sdkLimits } from './sdk-limits.js';

export function createKmsClient(): KMSClient {
  return new KMSClient({ ...sdkLimits });
}
