import type { APIGatewayProxyResult } from 'aws-lambda';
import { InvalidClient, TemporarilyUnavailable, type OAuthError } from '#shared/errors/oauth-errors.js';
import { jsonResponse } from './json-response.js';

/**
 * RFC 6749 §5.1 / §5.2: token endpoint responses carry sensitive information (or the absence of it)
 * and must never be cached.
 */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** RFC 7617 §2 challenge; `charset` tells clients the user-id and password are UTF-8 (§2.1). */
export const BASIC_CHALLENGE = 'Basic realm="oauth2/token", charset="UTF-8"';

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
const NOT_DESCRIPTION_CHARACTER = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;

/**
 * The one place an OAuthError becomes an HTTP response: RFC 6749 §5.2 body `{error, error_description}`,
 * its status, `WWW-Authenticate` when the client tried HTTP authentication (§5.2), `Retry-After` on 503
 * (RFC 9110 §10.2.3).
 */
export function oauthErrorResponse(error: OAuthError): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...NO_STORE_HEADERS };
  if (error instanceof InvalidClient && error.usedBasicAuth) headers['WWW-Authenticate'] = BASIC_CHALLENGE;
  if (error instanceof TemporarilyUnavailable) headers['Retry-After'] = String(error.retryAfterSeconds);
  const body = { error: error.error, error_description: error.description.replace(NOT_DESCRIPTION_CHARACTER, '') };
  return jsonResponse(error.status, body, headers);
}
