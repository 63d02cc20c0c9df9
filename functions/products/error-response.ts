import type { APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { jsonResponse } from '#shared/http/json-response.js';
import {
  InsufficientScope,
  InvalidRequest,
  NotAuthenticated,
  ProductNotFound,
  RouteNotFound,
  StoreUnavailable,
  UnsupportedMediaType,
} from './errors.js';

const RETRY_AFTER_SECONDS = '1';

/**
 * The one place a failure becomes an HTTP answer. Bodies follow the RFC 6750 §3 / RFC 6749 §5.2 shape
 * ({ error, error_description }) so clients of this API parse one error format. Only messages written
 * for clients (InvalidRequest's field descriptions) reach a body; dependency errors and bugs are logged
 * and answered generically.
 */
export function errorResponse(error: unknown, logger: Pick<Logger, 'warn' | 'error'>): APIGatewayProxyResult {
  if (error instanceof InsufficientScope) {
    // RFC 6750 §3.1: 403 with the scope that would have sufficed, in the challenge and the body.
    return jsonResponse(
      403,
      { error: 'insufficient_scope', error_description: error.message, scope: error.scope },
      { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${error.scope}"` },
    );
  }
  if (error instanceof NotAuthenticated) {
    logger.warn('Request without a usable authorizer context', { reason: error.message });
    // The same challenge API Gateway's own UNAUTHORIZED response carries (template.yaml), so clients see
    // one answer for "get a new token" whichever layer noticed.
    return jsonResponse(
      401,
      { error: 'invalid_token', error_description: error.message },
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    );
  }
  if (error instanceof InvalidRequest) return jsonResponse(400, { error: 'invalid_request', error_description: error.message });
  if (error instanceof UnsupportedMediaType) return jsonResponse(415, { error: 'unsupported_media_type', error_description: error.message });
  if (error instanceof ProductNotFound || error instanceof RouteNotFound) {
    return jsonResponse(404, { error: 'not_found', error_description: error.message });
  }
  if (error instanceof StoreUnavailable) {
    logger.error('Product store unavailable', { reason: error.message });
    return jsonResponse(
      503,
      { error: 'temporarily_unavailable', error_description: 'The product store is temporarily unavailable; retry later' },
      { 'Retry-After': RETRY_AFTER_SECONDS },
    );
  }
  const { name, message } = error instanceof Error ? error : { name: typeof error, message: '' };
  logger.error('Unexpected failure', { reason: name, detail: message });
  return jsonResponse(500, { error: 'server_error', error_description: 'Internal error' });
}
