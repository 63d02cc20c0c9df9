import { TemporarilyUnavailable } from '#shared/errors/oauth-errors.js';

/**
 * Failures that retrying in a second will not fix: the key is disabled, pending deletion or gone, the table
 * is missing, or the function lacks permission. They still answer 503 (no token can be issued, and nothing
 * about them is the client's fault), but with a longer Retry-After so clients back off while an operator acts.
 */
const NEEDS_OPERATOR = new Set([
  'AccessDeniedException',
  'DisabledException',
  'IncorrectKeyException',
  'InvalidKeyUsageException',
  'KMSInvalidStateException',
  'NotFoundException',
  'ResourceNotFoundException',
  'UnrecognizedClientException',
]);

/**
 * What kind of failure it was, as a metric dimension (a closed set, unlike SDK error names). KMS publishes no
 * throttling metric of its own for Sign; a throttled call surfaces as ThrottlingException
 * (https://docs.aws.amazon.com/kms/latest/developerguide/throttling.html), DynamoDB's as ThrottlingException or
 * ProvisionedThroughputExceededException, so counting them here is how KMS throttling becomes alarmable.
 */
export type DependencyFailureKind = 'throttled' | 'timeout' | 'needs-operator' | 'unavailable';

const THROTTLED = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'LimitExceededException']);
// The SDK's own request timeout (sdk-limits.ts, throwOnRequestTimeout) and socket timeouts.
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

export function dependencyFailureKind(errorName: string): DependencyFailureKind {
  if (THROTTLED.has(errorName)) return 'throttled';
  if (TIMED_OUT.has(errorName)) return 'timeout';
  if (NEEDS_OPERATOR.has(errorName)) return 'needs-operator';
  return 'unavailable';
}

const TRANSIENT_RETRY_AFTER_SECONDS = 1;
const OPERATOR_RETRY_AFTER_SECONDS = 30;

const DESCRIPTION = 'The authorization server is temporarily unable to handle the request; retry later';

/**
 * Turns anything an AWS SDK call threw (service error, throttling, timeout, socket error) into the
 * RFC 6749 §4.1.2.1 `temporarily_unavailable` answer. The client sees only a generic description;
 * the dependency and the SDK error's name go to the log.
 */
export function dependencyUnavailable(dependency: 'DynamoDB' | 'KMS', error: unknown): TemporarilyUnavailable {
  const errorName = error instanceof Error ? error.name : typeof error;
  const retryAfter = NEEDS_OPERATOR.has(errorName) ? OPERATOR_RETRY_AFTER_SECONDS : TRANSIENT_RETRY_AFTER_SECONDS;
  return new TemporarilyUnavailable(DESCRIPTION, retryAfter, { cause: error }).withContext({ dependency, errorName, kind: dependencyFailureKind(errorName) });
}
