// The Lambda proxy integration response of a REST API: only statusCode, headers, multiValueHeaders, body
// and isBase64Encoded are allowed, with those types; anything else is "Malformed Lambda proxy response"
// and the caller gets 502. Headers API Gateway reserves are renamed or dropped on the way out.

export interface IntegrationReply {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

// REST APIs return these integration response headers as `x-amzn-Remapped-<name>` (so a function cannot
// set, e.g., WWW-Authenticate on a proxy response; GatewayResponses can, for the gateway's own 401/403) ...
const REMAPPED = new Set(['authorization', 'connection', 'content-md5', 'date', 'max-forwards', 'server', 'user-agent', 'www-authenticate']);
// ... and drop these; Content-Length is recomputed from the body.
const DROPPED = new Set(['content-length', 'expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade']);

/** undefined when the result is malformed. */
export function readIntegrationResponse(result: unknown): IntegrationReply | undefined {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const response = result as Record<string, unknown>;
  if (Object.keys(response).some((key) => !ALLOWED_KEYS.has(key))) return undefined;
  const statusCode = readStatusCode(response.statusCode);
  if (statusCode === undefined) return undefined;
  const { body, isBase64Encoded } = response;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') return undefined;
  const headers = readHeaders(response.headers, response.multiValueHeaders);
  if (!headers) return undefined;
  const text = body ?? '';
  return { statusCode, headers, body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

// A number, or a string of digits (which AWS also accepts).
function readStatusCode(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 100 && number <= 599 ? number : undefined;
}

// When a name appears in both maps, the multi-value list wins (AWS merges them that way).
function readHeaders(single: unknown, multi: unknown): [string, string][] | undefined {
  if (!isOptionalMap(single) || !isOptionalMap(multi)) return undefined;
  const merged = new Map<string, [string, string][]>();
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
    merged.set(name.toLowerCase(), values.map((value) => [name, String(value)]));
  }
  for (const [name, value] of Object.entries(single ?? {})) {
    if (!isScalar(value)) return undefined;
    if (!merged.has(name.toLowerCase())) merged.set(name.toLowerCase(), [[name, String(value)]]);
  }
  const headers: [string, string][] = [];
  for (const [lower, entries] of merged) {
    if (DROPPED.has(lower)) continue;
    for (const [name, value] of entries) headers.push([REMAPPED.has(lower) ? `x-amzn-Remapped-${name}` : name, value]);
  }
  return headers;
}

function isOptionalMap(value: unknown): value is Record<string, unknown> | undefined | null {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
