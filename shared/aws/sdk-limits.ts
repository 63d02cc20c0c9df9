/**
 * Bounded SDK settings, shared by every client: at most 2 attempts, each with short connect/response
 * timeouts, so a request that meets an outage ends (as a 503) well inside the 10 s Lambda timeout instead
 * of hanging in retries.
 * `throwOnRequestTimeout` is what makes requestTimeout a limit: without it the Node handler only logs a
 * warning when the time is up and keeps waiting, so an endpoint that never answers holds the request until
 * Lambda kills it (test/faults proves the bound against one). A call waiting for a pooled socket counts
 * against connectionTimeout, so the pool is made large enough never to be the limit: a Lambda container
 * runs one invocation at a time, but the local runtime runs many in one environment (npm run load
 * met 503s from calls queued behind the SDK's default 50 sockets).
 * Endpoints come only from the standard SDK configuration (AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_REGION, …), which is how the same code reaches local emulators or AWS.
 *
 * Each client has its own module (kms-client.ts, dynamodb-document-client.ts) so that a function bundles
 * only the SDK clients it calls.
 */
export const sdkLimits = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_500, throwOnRequestTimeout: true, httpAgent: { maxSockets: 512 } },
} as const;
