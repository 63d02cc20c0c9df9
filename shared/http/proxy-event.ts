import type { APIGatewayProxyEvent } from 'aws-lambda';
import { InvalidRequest } from '#shared/errors/oauth-errors.js';

/**
 * Reading an API Gateway REST proxy event (payload 1.0) defensively: any member may be missing, null or
 * of the wrong type, and nothing here may throw anything but an OAuthError.
 */
export type ProxyEvent = Partial<APIGatewayProxyEvent>;

/**
 * Every value of a header, looked up case-insensitively (RFC 9110 §5.1). multiValueHeaders has each
 * occurrence; `headers` only the last, so it is the fallback. Header names are not normalised first
 * (as @middy/http-header-normalizer would): merging "Authorization" and "authorization" keeps one and
 * drops the other, which is exactly the silent choice a repeated credential must not get.
 */
function headerValues(event: ProxyEvent, lowerCaseName: string): unknown[] {
  const repeated = valuesNamed(event.multiValueHeaders, lowerCaseName).flatMap((value) => (Array.isArray(value) ? value : [value]));
  return repeated.length > 0 ? repeated : valuesNamed(event.headers, lowerCaseName);
}

function valuesNamed(map: unknown, lowerCaseName: string): unknown[] {
  const values: unknown[] = [];
  if (typeof map !== 'object' || map === null) return values;
  for (const name of Object.keys(map)) {
    const value: unknown = (map as Record<string, unknown>)[name];
    if (value !== undefined && value !== null && name.length === lowerCaseName.length && name.toLowerCase() === lowerCaseName) {
      values.push(value);
    }
  }
  return values;
}

/** A header that may appear at most once; `displayName` is used in the error description. */
export function singleHeader(event: ProxyEvent, displayName: string): string | undefined {
  const values = headerValues(event, displayName.toLowerCase());
  if (values.length > 1) throw new InvalidRequest(`The ${displayName} header must not be repeated`);
  const [value] = values;
  if (value !== undefined && typeof value !== 'string') throw new InvalidRequest(`The ${displayName} header is malformed`);
  return value;
}

export function hasQueryParameters(event: ProxyEvent): boolean {
  return [event.queryStringParameters, event.multiValueQueryStringParameters].some(
    (parameters) => typeof parameters === 'object' && parameters !== null && Object.keys(parameters).length > 0,
  );
}

/** The request context members the issuer is derived from, when they are strings. */
export function stageLocation(event: ProxyEvent): { apiId?: string; stage?: string } {
  const context: unknown = event.requestContext;
  if (typeof context !== 'object' || context === null) return {};
  const { apiId, stage } = context as Record<string, unknown>;
  return {
    apiId: typeof apiId === 'string' ? apiId : undefined,
    stage: typeof stage === 'string' ? stage : undefined,
  };
}
