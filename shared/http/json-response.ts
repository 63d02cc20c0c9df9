import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * A JSON response for an API Gateway proxy integration. `Cache-Control: no-store` (RFC 9111 §5.2.2.5) unless
 * the caller overrides it: most answers depend on who asked, and a shared cache must not replay them.
 */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** A response without a body (204). */
export function emptyResponse(statusCode: number, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'Cache-Control': 'no-store', ...headers }, body: '' };
}
