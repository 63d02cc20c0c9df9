import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';

/**
 * Bounded SDK settings: at most 2 attempts, each with short connect/response timeouts, so a request
 * that meets an outage ends (as a 503) well inside the 10 s Lambda timeout instead of hanging in retries.
 * Endpoints come only from the standard SDK configuration (AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_REGION, …), which is how the same code reaches local emulators or AWS.
 */
export const sdkLimits = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_500 },
} as const;

export function createKmsClient(): KMSClient {
  return new KMSClient({ ...sdkLimits });
}

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ ...sdkLimits }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
