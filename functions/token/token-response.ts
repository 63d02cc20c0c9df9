import type { APIGatewayProxyResult } from 'aws-lambda';
import { jsonResponse } from '#shared/http/json-response.js';
import { NO_STORE_HEADERS } from '#shared/http/oauth-error-response.js';
import type { IssuedToken } from './token-issuer.js';

/** RFC 6749 §5.1. `scope` is always present, so the client never has to guess what it was granted. */
export function tokenResponse({ accessToken, expiresIn, claims }: IssuedToken): APIGatewayProxyResult {
  return jsonResponse(
    200,
    { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: claims.scope },
    NO_STORE_HEADERS,
  );
}
