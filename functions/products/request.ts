import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import { InvalidRequest, ProductNotFound, UnsupportedMediaType } from './errors.js';
import { decodeCursor } from './page-cursor.js';
import { isProductId } from './product.js';
import type { ProductCursor } from './product-store.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Header names are case-insensitive (RFC 9110 §5.1); events from emulators are not always normalised. */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * The JSON body, parsed and validated. Only `application/json` (parameters such as charset allowed) is
 * accepted: anything else is 415, so a form post is never half-understood as JSON.
 */
export function readJsonBody<Schema extends z.ZodMiniType>(event: APIGatewayProxyEvent, schema: Schema): z.output<Schema> {
  const mediaType = header(event, 'content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new UnsupportedMediaType('Content-Type must be application/json');
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidRequest('The request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidRequest(describeIssues(parsed.error));
  return parsed.data;
}

/** "name: must not be empty; unknown field "id"": every problem, each named by its field. */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return describeUnknownFields(issue.keys);
      const field = issue.path.join('.');
      return field === '' ? `body ${issue.code === 'invalid_type' ? 'must be a JSON object' : issue.message}` : `${field}: ${issue.message}`;
    })
    .join('; ');
}

// The answer must stay small whatever the body: a body of thousands of unknown keys named every one of
// them back, so a 208 KB request drew a 509 KB answer. A few names are enough to find a typo.
const NAMED_UNKNOWN_FIELDS = 3;
const FIELD_NAME_LENGTH = 40;

/** 'unknown field "a"; unknown field "b"; unknown field "c"; and 5 more unknown fields', each name cut short. */
function describeUnknownFields(keys: readonly string[]): string {
  const named = keys
    .slice(0, NAMED_UNKNOWN_FIELDS)
    .map((key) => `unknown field ${JSON.stringify(key.length > FIELD_NAME_LENGTH ? `${key.slice(0, FIELD_NAME_LENGTH)}…` : key)}`);
  const more = keys.length - named.length;
  return more > 0 ? `${named.join('; ')}; and ${more} more unknown field${more === 1 ? '' : 's'}` : named.join('; ');
}

export function readLimit(event: APIGatewayProxyEvent): number {
  const value = event.queryStringParameters?.limit;
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const limit = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) throw new InvalidRequest(`limit: must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return limit;
}

export function readCursor(event: APIGatewayProxyEvent): ProductCursor | undefined {
  const value = event.queryStringParameters?.next;
  return value === undefined ? undefined : decodeCursor(value);
}

/**
 * Ids are server-made UUIDs, so a path segment that is not one names no product: 404, the same answer as
 * for a well-formed id that does not exist, without a database round trip (and without sending DynamoDB
 * keys it would refuse, such as an empty string).
 */
export function readProductId(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !isProductId(id)) throw new ProductNotFound('No product has this id');
  return id;
}

/**
 * The path prefix the API is served under: `/v1` on the execute-api domain (requestContext.path includes
 * the stage), `` at a root mapping or on a local emulator. Lets Location be an absolute path that works
 * wherever the request came in.
 */
export function basePath(event: APIGatewayProxyEvent): string {
  const requested = (event.requestContext.path ?? '').replace(/\/+$/, '');
  const resource = event.resource.replace(/\/+$/, '');
  return requested.endsWith(resource) ? requested.slice(0, requested.length - resource.length) : '';
}
