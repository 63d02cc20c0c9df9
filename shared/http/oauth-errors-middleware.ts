import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { OAuthError, ServerError, TemporarilyUnavailable, UNEXPECTED_CONDITION } from '#shared/errors/oauth-errors.js';
import { oauthErrorResponse } from './oauth-error-response.js';
import type { InvocationMetrics } from '#shared/metrics/invocation-metrics.js';
import { countOAuthFailure } from '#shared/metrics/oauth-outcome-metrics.js';

export type ErrorLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Middy middleware turning whatever the handler threw into an RFC 6749 §5.2 response, and logging it
 * once: refusals (4xx) at INFO with their context, dependency outages (503) at WARN with the SDK error's
 * name, anything else at ERROR — and answered as a generic 500 `server_error` that reveals nothing.
 * Register it last among middlewares with an onError, so it runs first on the way out.
 */
export function oauthErrors({ logger, metrics }: { logger: ErrorLogger; metrics?: InvocationMetrics }): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      if (request.response !== undefined && request.response !== null) return;
      // Counted where it is logged: the one place every refusal and failure passes.
      if (metrics !== undefined) countOAuthFailure(metrics, request.error);
      request.response = oauthErrorResponse(reported(request.error, logger));
    },
  };
}

function reported(error: unknown, logger: ErrorLogger): OAuthError {
  if (!(error instanceof OAuthError)) {
    if (error instanceof Error) logger.error('Unexpected error', error);
    else logger.error('Unexpected error', { thrown: typeof error });
    return new ServerError(UNEXPECTED_CONDITION);
  }
  const fields = { error: error.error, status: error.status, description: error.description, ...error.context };
  if (error.status < 500) logger.info('Request refused', fields);
  else if (error instanceof TemporarilyUnavailable) logger.warn('Dependency unavailable', { ...fields, cause: describeCause(error.cause) });
  else logger.error('Request failed', { ...fields, cause: describeCause(error.cause) });
  return error;
}

/** Name, message, socket error code and AWS request id of an SDK error: enough to find it, nothing from the request. */
function describeCause(cause: unknown): Record<string, unknown> | undefined {
  if (!(cause instanceof Error)) return undefined;
  const { code, $metadata: metadata } = cause as { code?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };
  return {
    name: cause.name,
    message: cause.message,
    code: typeof code === 'string' ? code : undefined,
    httpStatusCode: metadata?.httpStatusCode,
    requestId: metadata?.requestId,
  };
}
