import { OAuthError, TemporarilyUnavailable } from '#shared/errors/oauth-errors.js';
import type { InvocationMetrics } from './invocation-metrics.js';

/**
 * Counts what an endpoint answered with an RFC 6749 §5.2 error: a refusal by its error code (a closed set),
 * a dependency outage by dependency and kind (shared/aws/dependency-unavailable.ts), anything else as a
 * server error. The client id goes in as a property, exactly as the log has it (a registered client's id, or
 * the hash of an unknown one: shared/client-auth/loggable-client-id.ts).
 */
export function countOAuthFailure(metrics: InvocationMetrics, error: unknown): void {
  if (!(error instanceof OAuthError)) {
    metrics.count('ServerErrors');
    return;
  }
  const { clientId, clientIdSha256, reason, dependency, kind, errorName } = error.context;
  if (clientId !== undefined) metrics.property('clientId', clientId);
  if (clientIdSha256 !== undefined) metrics.property('clientIdSha256', clientIdSha256);
  if (error.status < 500) {
    metrics.count('Refusals', { reason: error.error });
    // The real reason behind a uniform answer (unknown_client, wrong_secret, …): a property, not a dimension.
    if (reason !== undefined) metrics.property('detail', reason);
  } else if (error instanceof TemporarilyUnavailable && dependency !== undefined && kind !== undefined) {
    metrics.count('DependencyFailures', { dependency: String(dependency), kind: String(kind) });
    if (errorName !== undefined) metrics.property('errorName', errorName);
  } else {
    metrics.count('ServerErrors');
  }
}
