// The Lambda proxy integration request (payload format 1.0) API Gateway builds for a REST API: headers
// single- and multi-valued, query strings decoded, path parameters decoded while `path` stays as sent,
// and the requestContext of the stage.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ApiDescription } from '../template/index.js';
import { encodeBody } from './request-body.js';
import { traceId } from './request-ids.js';
import type { Resource } from './routes.js';
import type { AuthorizerContext } from './token-authorizer.js';

export interface RequestFacts {
  method: string;
  /** Path as sent, still percent-encoded, without the query string. */
  rawPath: string;
  /** Query string as sent, without `?`; empty when none. */
  rawQuery: string;
  /** Node's rawHeaders: names with the client's casing, alternating with values, in order. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  localPort: number;
  receivedAt: Date;
  requestId: string;
  extendedRequestId: string;
}

export interface EventTarget {
  resource: Resource;
  pathParameters: Record<string, string> | null;
  api: ApiDescription;
  accountId: string;
  authorizer?: AuthorizerContext;
}

/**
 * Request headers a REST API does not pass to a Lambda proxy integration: those "Dropped" for requests
 * in the header table of "Amazon API Gateway important notes for REST APIs" (Content-MD5, Expect,
 * Max-Forwards, Proxy-Authenticate, Server, TE, Trailer, Upgrade, WWW-Authenticate), and the ones that
 * describe the client's connection and the framing of a body that reaches the function whole
 * (Connection, Content-Length, Transfer-Encoding; hop-by-hop, RFC 9110 §7.6.1).
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
 */
export const DROPPED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'content-md5',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'www-authenticate',
]);

export function buildProxyEvent(request: RequestFacts, target: EventTarget): APIGatewayProxyEvent {
  const { api, resource } = target;
  const headers = new HeaderList(forwardedHeaders(request.rawHeaders));
  // What API Gateway adds on the way in (a regional endpoint): the caller's address and a trace id.
  headers.appendToList('X-Forwarded-For', request.sourceIp);
  headers.setDefault('X-Forwarded-Port', String(request.localPort));
  headers.setDefault('X-Forwarded-Proto', 'http');
  headers.setDefault('X-Amzn-Trace-Id', traceId(request.receivedAt));
  const { single, multi } = headers.maps();
  const query = parseQuery(request.rawQuery);
  const host = headers.get('host') ?? `127.0.0.1:${request.localPort}`;
  const { body, isBase64Encoded } = encodeBody(request.body, headers.get('content-type'), api.binaryMediaTypes);

  const requestContext = {
    accountId: target.accountId,
    apiId: api.id,
    ...(target.authorizer ? { authorizer: target.authorizer } : {}),
    domainName: host,
    domainPrefix: host.split('.')[0]!.split(':')[0]!,
    extendedRequestId: request.extendedRequestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: headers.get('user-agent') ?? null,
      userArn: null,
    },
    path: `/${api.stageName}${request.rawPath}`,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    resourceId: resource.id,
    resourcePath: resource.path,
    stage: api.stageName,
  };
  return {
    resource: resource.path,
    path: request.rawPath,
    httpMethod: request.method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: target.pathParameters,
    stageVariables: null,
    requestContext: requestContext as APIGatewayProxyEvent['requestContext'],
    body,
    isBase64Encoded,
  };
}

function forwardedHeaders(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!DROPPED_REQUEST_HEADERS.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

/** Case-insensitive header list that keeps the first casing the client used for each name. */
export class HeaderList {
  readonly #entries = new Map<string, { name: string; values: string[] }>();

  constructor(rawHeaders: readonly string[]) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) this.append(rawHeaders[i]!, rawHeaders[i + 1]!);
  }

  append(name: string, value: string): void {
    const entry = this.#entries.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else this.#entries.set(name.toLowerCase(), { name, values: [value] });
  }

  /** Adds to a comma-separated list header (X-Forwarded-For), as a proxy does. */
  appendToList(name: string, value: string): void {
    const entry = this.#entries.get(name.toLowerCase());
    if (entry) entry.values[entry.values.length - 1] = `${entry.values.at(-1)}, ${value}`;
    else this.append(name, value);
  }

  setDefault(name: string, value: string): void {
    if (!this.#entries.has(name.toLowerCase())) this.append(name, value);
  }

  /** The last value, as in the event's `headers`. */
  get(name: string): string | undefined {
    return this.#entries.get(name.toLowerCase())?.values.at(-1);
  }

  maps(): { single: Record<string, string>; multi: Record<string, string[]> } {
    const single: Record<string, string> = {};
    const multi: Record<string, string[]> = {};
    for (const { name, values } of this.#entries.values()) {
      single[name] = values.at(-1)!;
      multi[name] = [...values];
    }
    return { single, multi };
  }
}

/** Decoded like API Gateway: `+` and `%XX`; a pair that is not valid encoding is passed on as sent. */
export function parseQuery(rawQuery: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return Object.keys(single).length === 0 ? { single: null, multi: null } : { single, multi };
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime`: `09/Apr/2015:12:34:56 +0000`. */
export function requestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
