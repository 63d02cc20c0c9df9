import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { buildProxyEvent } from '../../local/gateway/proxy-event.js';
import { RouteTable } from '../../local/gateway/routes.js';
import type { AuthorizerContext } from '../../local/gateway/token-authorizer.js';
import type { ApiDescription, LoadedTemplate } from '../../local/template/index.js';

/**
 * Events built by the local gateway's own code (local/gateway/proxy-event.ts), so a fixture has exactly
 * the fields, casing and decoding the gateway (and, for payload format 1.0, API Gateway) hands a function.
 * Every id and timestamp is derived from the fixture's name and `receivedAt`, so building a fixture twice
 * gives the same bytes.
 */
export interface EventSite {
  template: LoadedTemplate;
  api: ApiDescription;
  routes: RouteTable;
  /** Host header the client sent, e.g. `localhost:3000`. */
  host: string;
  receivedAt: Date;
}

export interface RequestSpec {
  method: string;
  /** As sent, without the query string. */
  path: string;
  /** As sent, without `?`. */
  query?: string;
  /** Client headers, in order; Host is added first. */
  headers?: readonly [string, string][];
  body?: string;
  /** What a TOKEN authorizer passed on (its context plus principalId); absent for routes without one. */
  authorizer?: { principalId: string } & Record<string, string>;
}

export function eventSite(template: LoadedTemplate, host: string, receivedAt: Date): EventSite {
  const apis = Object.values(template.apis);
  if (apis.length !== 1) throw new Error(`expected one API in the template, found ${apis.length}`);
  const api = apis[0]!;
  const routes = new RouteTable();
  for (const fn of Object.values(template.functions)) {
    for (const event of fn.apiEvents) {
      if (event.restApiLogicalId === api.logicalId) routes.add(event.path, event.method, { functionId: fn.logicalId });
    }
  }
  return { template, api, routes, host, receivedAt };
}

/** The REST API (payload format 1.0) proxy event for `request`, routed as the gateway routes it. */
export function proxyEvent(site: EventSite, name: string, request: RequestSpec): APIGatewayProxyEvent {
  const match = site.routes.match(request.method, request.path);
  if (match.kind !== 'matched') throw new Error(`${name}: no route for ${request.method} ${request.path}`);
  const port = Number(site.host.split(':')[1] ?? 80);
  const rawHeaders = [['Host', site.host], ...(request.headers ?? []), ['X-Amzn-Trace-Id', traceId(name, site.receivedAt)]].flat();
  const authorizer: AuthorizerContext | undefined = request.authorizer && { ...request.authorizer, integrationLatency: 0 };
  return buildProxyEvent(
    {
      method: request.method,
      rawPath: request.path,
      rawQuery: request.query ?? '',
      rawHeaders,
      body: Buffer.from(request.body ?? '', 'utf8'),
      sourceIp: '127.0.0.1',
      localPort: port,
      receivedAt: site.receivedAt,
      requestId: uuidFrom(`${name}/request`),
      extendedRequestId: `${hex(`${name}/extended`).slice(0, 15)}=`,
    },
    {
      resource: match.resource,
      pathParameters: match.pathParameters,
      api: site.api,
      accountId: site.template.pseudo.accountId,
      ...(authorizer ? { authorizer } : {}),
    },
  );
}

/** The event a REST API TOKEN authorizer receives for a request to `method path`. */
export function tokenAuthorizerEvent(site: EventSite, authorizationToken: string, method: string, path: string): APIGatewayTokenAuthorizerEvent {
  const { partition, region, accountId } = site.template.pseudo;
  return {
    type: 'TOKEN',
    authorizationToken,
    methodArn: `arn:${partition}:execute-api:${region}:${accountId}:${site.api.id}/${site.api.stageName}/${method}/${path.replace(/^\//, '')}`,
  };
}

function hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function uuidFrom(seed: string): string {
  const h = hex(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// X-Ray's format: Root=1-<epoch seconds, hex>-<96 random bits>; here the bits come from the name.
function traceId(name: string, at: Date): string {
  return `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${hex(`${name}/trace`).slice(0, 24)}`;
}
