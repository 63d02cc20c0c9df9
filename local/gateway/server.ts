// A local API Gateway REST API (Lambda proxy integration, payload format 1.0) serving a SAM template's
// functions over HTTP, like `sam local start-api` without Docker: routes at the root (no stage prefix),
// while events carry the stage in requestContext.stage and requestContext.path.
//
//   startGateway(options: GatewayOptions): Promise<Gateway>
//
//   GatewayOptions = TemplateSource & {
//     port?: number;                    // 0 or undefined: a free port
//     host?: string;                    // default 127.0.0.1
//     baseEnv?: Record<string, string>; // added to every function's environment (credentials, AWS_ENDPOINT_URL_*)
//     log?: LogSink;                    // (source, line, stream): function output, and one `gateway` line per request
//     apiLogicalId?: string;            // which API to serve when the template has several
//     initTimeoutMs?: number;           // cold-start limit per function (default 30 s)
//     headersTimeoutMs?: number;        // time to receive a request's headers (default 10 s)
//     requestTimeoutMs?: number;        // time to receive a whole request, body included (default 30 s)
//     now?: () => number;               // clock of the method throttling buckets (default Date.now)
//   }
//   TemplateSource = { template: LoadedTemplate } | { templatePath: string; inputs?: ResolutionInputs }
//
//   Gateway = {
//     url: string; port: number;        // e.g. http://127.0.0.1:40123
//     template: LoadedTemplate;         // the one being served
//     reload(source?: TemplateSource): Promise<void>;  // re-read the template (or switch to `source`), start fresh
//                                       // function environments, empty the authorizer cache; running requests finish first
//     close(): Promise<void>;
//   }
//
// Request lines in the log hold method, path (never the query string), status and duration; never headers
// or bodies, which carry credentials and tokens.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FunctionTimeoutError } from '../runtime/errors.js';
import { consoleLogSink, GATEWAY_LOG_SOURCE, type LogSink } from '../runtime/log-sink.js';
import { loadTemplate, type LoadedTemplate, type ResolutionInputs } from '../template/index.js';
import { ACCESS_LOG_SOURCE, accessLogLine, requestTime } from './access-log.js';
import { deploy, type Deployment } from './deployment.js';
import { gatewayResponse, type GatewayReply, type GatewayResponseType } from './gateway-responses.js';
import { readIntegrationResponse } from './integration-response.js';
import { buildProxyEvent, HeaderList, type RequestFacts } from './proxy-event.js';
import { PayloadTooLargeError, readBody, RequestAbortedError, UnsupportedTransferCodingError } from './request-body.js';
import { extendedRequestId } from './request-ids.js';
import { requestParameters } from './request-parameters.js';
import { MethodThrottles } from './throttling.js';

export type TemplateSource = { template: LoadedTemplate } | { templatePath: string; inputs?: ResolutionInputs };

export type GatewayOptions = TemplateSource & {
  port?: number;
  host?: string;
  baseEnv?: Readonly<Record<string, string>>;
  log?: LogSink;
  apiLogicalId?: string;
  initTimeoutMs?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  now?: () => number;
};

export interface Gateway {
  readonly url: string;
  readonly port: number;
  readonly template: LoadedTemplate;
  reload(source?: TemplateSource): Promise<void>;
  close(): Promise<void>;
}

/** API Gateway's integration timeout for REST APIs. */
const INTEGRATION_TIMEOUT_MS = 29_000;

// A client trickling its request would otherwise hold a connection for Node's defaults (60 s for the
// headers, 5 minutes for the whole request). API Gateway gives a request 29 s (the integration timeout,
// its only published limit on time) and a client that has not finished sending by then could not be
// answered in time anyway, so the whole request may take about that long (30 s). Headers are a few
// hundred bytes a client sends at once: 10 s is ample even on a slow link.
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (integration timeout, 50 ms to 29 s by default)
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

const CLIENT_ERROR_STATUS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  // The headers or the whole request took longer than their limit.
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

interface Reply {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
  closeConnection?: boolean;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const log = options.log ?? consoleLogSink;
  const deploymentOptions = {
    log,
    ...(options.baseEnv ? { baseEnv: options.baseEnv } : {}),
    ...(options.apiLogicalId ? { apiLogicalId: options.apiLogicalId } : {}),
    ...(options.initTimeoutMs ? { initTimeoutMs: options.initTimeoutMs } : {}),
  };
  const now = options.now ?? Date.now;
  let current = deploy(await templateFrom(options), deploymentOptions);
  // Buckets belong to a deployment: a redeploy of a stage starts them full again.
  let throttles = new MethodThrottles(current.api.methodSettings, now);

  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  // Node requires the request timeout to be at least the headers timeout.
  const requestTimeout = Math.max(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, headersTimeout);
  const serverOptions = {
    headersTimeout,
    requestTimeout,
    // How often Node checks both limits: by default every 30 s, as long as the limits themselves.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
  };
  const server = createServer(serverOptions, (request, response) => {
    const deployment = current;
    const deploymentThrottles = throttles;
    // serve() answers every failure itself; the catch only guards the gateway process against a bug in it.
    const serving = serve(deployment, deploymentThrottles, request, response, log).catch(() => {
      response.destroy();
    });
    deployment.inFlight.add(serving);
    void serving.finally(() => deployment.inFlight.delete(serving));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Malformed requests and oversized headers never reach the handler; answer them and move on.
    if (socket.writable) {
      const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    get template() {
      return current.template;
    },
    async reload(source?: TemplateSource) {
      const template = await templateFrom(source ?? { templatePath: current.template.document.path, inputs: current.template.inputs });
      const previous = current;
      current = deploy(template, deploymentOptions);
      throttles = new MethodThrottles(current.api.methodSettings, now);
      // Requests already running finish on the old deployment; one that outlasts the integration timeout
      // (a client that never sends its body) is not waited for.
      await Promise.race([Promise.allSettled([...previous.inFlight]), delay(INTEGRATION_TIMEOUT_MS + 1_000)]);
      await previous.runtime.close();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await current.runtime.close();
    },
  };
}

async function templateFrom(source: TemplateSource): Promise<LoadedTemplate> {
  return 'template' in source ? source.template : loadTemplate(source.templatePath, source.inputs ?? {});
}

async function serve(
  deployment: Deployment,
  throttles: MethodThrottles,
  request: IncomingMessage,
  response: ServerResponse,
  log: LogSink,
): Promise<void> {
  const started = performance.now();
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const facts: RequestFacts = {
    method: request.method ?? 'GET',
    rawPath: withoutStagePrefix(queryAt < 0 ? url : url.slice(0, queryAt), deployment.api.stageName),
    rawQuery: queryAt < 0 ? '' : url.slice(queryAt + 1),
    rawHeaders: request.rawHeaders,
    body: Buffer.alloc(0),
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    localPort: request.socket.localPort ?? 0,
    receivedAt: new Date(),
    requestId: randomUUID(),
    extendedRequestId: extendedRequestId(),
  };
  let reply: Reply | undefined;
  const seen: SeenOnTheWay = {};
  try {
    reply = framingError(request.rawHeaders) ?? (await respond(deployment, throttles, request, facts, log, seen));
  } catch (error) {
    log(GATEWAY_LOG_SOURCE, `${facts.requestId} gateway error: ${error instanceof Error ? error.name : 'unknown'}`, 'stderr');
    reply = own(deployment, facts, 'INTEGRATION_FAILURE');
  }
  if (reply === undefined) {
    // The client went away before sending the whole request: nobody to answer.
    response.destroy();
    return;
  }
  send(response, reply, facts, deployment, log);
  const latency = Math.round(performance.now() - started);
  const format = deployment.api.accessLogFormat;
  if (format === undefined) {
    log(GATEWAY_LOG_SOURCE, `${facts.method} ${facts.rawPath} ${response.statusCode} ${latency}ms`, 'stdout');
    return;
  }
  log(ACCESS_LOG_SOURCE, accessLogLine(format, accessLogVariables(deployment, facts, seen, response.statusCode, reply.body.length, latency)), 'stdout');
}

/** What the access log needs from the way through respond(): filled in as each step is reached. */
interface SeenOnTheWay {
  resourcePath?: string;
  authorizer?: Readonly<Record<string, string | number>>;
  authorizerError?: string;
  integrationLatency?: number;
}

function accessLogVariables(deployment: Deployment, facts: RequestFacts, seen: SeenOnTheWay, status: number, length: number, latency: number) {
  const authorizer = Object.fromEntries(Object.entries(seen.authorizer ?? {}).map(([key, value]) => [`authorizer.${key}`, value]));
  return {
    ...authorizer,
    requestId: facts.requestId,
    extendedRequestId: facts.extendedRequestId,
    'identity.sourceIp': facts.sourceIp,
    requestTime: requestTime(facts.receivedAt),
    requestTimeEpoch: facts.receivedAt.getTime(),
    httpMethod: facts.method,
    path: `/${deployment.api.stageName}${facts.rawPath}`,
    resourcePath: seen.resourcePath,
    stage: deployment.api.stageName,
    apiId: deployment.api.id,
    status,
    protocol: 'HTTP/1.1',
    responseLength: length,
    responseLatency: latency,
    integrationLatency: seen.integrationLatency,
    'authorizer.error': seen.authorizerError,
  };
}

/**
 * Served at the root (like `sam local start-api`) and, like the execute-api domain, under `/<stage>/…`,
 * so URLs the functions build from requestContext.path (which carries the stage) resolve locally too.
 */
export function withoutStagePrefix(path: string, stage: string): string {
  const prefix = `/${stage}`;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

/**
 * RFC 9112 §3.2: a request with more than one Host field line gets 400. Node keeps only the first in
 * `request.headers`, so the raw lines are counted.
 */
function framingError(rawHeaders: readonly string[]): Reply | undefined {
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') hosts += 1;
  return hosts > 1 ? framingReply(400, 'Bad Request') : undefined;
}

/** Refused before API Gateway sees the request, so no gateway response (nor its customisation) applies. */
function framingReply(statusCode: number, message: string): Reply {
  return { statusCode, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ message })), closeConnection: true };
}

async function respond(
  deployment: Deployment,
  throttles: MethodThrottles,
  request: IncomingMessage,
  facts: RequestFacts,
  log: LogSink,
  seen: SeenOnTheWay = {},
): Promise<Reply | undefined> {
  try {
    facts.body = await readBody(request);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return { ...own(deployment, facts, 'REQUEST_TOO_LARGE'), closeConnection: true };
    // RFC 9112 §6.1: 501 for a transfer coding the server does not implement; the body cannot be framed.
    if (error instanceof UnsupportedTransferCodingError) return framingReply(501, 'Not Implemented');
    if (error instanceof RequestAbortedError) return undefined;
    throw error;
  }
  const match = deployment.routes.match(facts.method, facts.rawPath);
  if (match.kind === 'not-found') return own(deployment, facts, 'MISSING_AUTHENTICATION_TOKEN');
  seen.resourcePath = match.resource.path;
  if (!throttles.admit(match.resource.path, facts.method)) return own(deployment, facts, 'THROTTLED', undefined, { pathParameters: match.pathParameters });

  const { api, template } = deployment;
  let authorizerContext;
  if (match.target.authorizer !== undefined) {
    const authorizer = api.authorizers[match.target.authorizer]!;
    const token = new HeaderList(facts.rawHeaders).get(authorizer.identityHeader);
    const methodArn = `arn:${template.pseudo.partition}:execute-api:${template.pseudo.region}:${template.pseudo.accountId}:${api.id}/${api.stageName}/${facts.method}/${facts.rawPath.slice(1)}`;
    const outcome = await deployment.authorizers.authorize(authorizer, token, methodArn);
    const known = { pathParameters: match.pathParameters };
    // AWS documents $context.authorizer.error as "the error message returned from an authorizer"; locally it is
    // the message that decides the outcome (Unauthorized) or the error type API Gateway reports for the rest.
    if (outcome.kind === 'unauthorized') seen.authorizerError = 'Unauthorized';
    if (outcome.kind === 'configuration-error') seen.authorizerError = 'AuthorizerConfigurationException';
    if (outcome.kind === 'allow' || outcome.kind === 'access-denied') seen.authorizer = outcome.context;
    if (outcome.kind === 'unauthorized') return own(deployment, facts, 'UNAUTHORIZED', undefined, known);
    if (outcome.kind === 'configuration-error') return own(deployment, facts, 'AUTHORIZER_CONFIGURATION_ERROR', undefined, known);
    // The policy's context is there for ACCESS_DENIED's templates as $context.authorizer.<key>.
    if (outcome.kind === 'access-denied') return own(deployment, facts, 'ACCESS_DENIED', outcome.message, { ...known, authorizer: outcome.context });
    authorizerContext = outcome.context;
  }

  const event = buildProxyEvent(facts, {
    resource: match.resource,
    pathParameters: match.pathParameters,
    api,
    accountId: template.pseudo.accountId,
    ...(authorizerContext ? { authorizer: authorizerContext } : {}),
  });
  let result: unknown;
  const invoked = performance.now();
  try {
    ({ result } = await withTimeout(deployment.runtime.invoke(match.target.functionId, event), INTEGRATION_TIMEOUT_MS));
  } catch (error) {
    if (error instanceof IntegrationTimeout) return own(deployment, facts, 'INTEGRATION_TIMEOUT');
    // The function's own log already has the error; the gateway notes only that the integration failed.
    const reason = error instanceof FunctionTimeoutError ? 'function timed out' : 'function error';
    log(GATEWAY_LOG_SOURCE, `${facts.requestId} Lambda execution failed: ${reason}`, 'stderr');
    return own(deployment, facts, 'INTEGRATION_FAILURE');
  }
  seen.integrationLatency = Math.round(performance.now() - invoked);
  const integration = readIntegrationResponse(result);
  if (!integration) {
    log(GATEWAY_LOG_SOURCE, `${facts.requestId} Execution failed due to configuration error: Malformed Lambda proxy response`, 'stderr');
    return own(deployment, facts, 'INTEGRATION_FAILURE');
  }
  return integration;
}

interface KnownSoFar {
  /** Once the route is matched. */
  pathParameters?: Record<string, string> | null;
  /** The context of a policy a Lambda authorizer returned. */
  authorizer?: Readonly<Record<string, string | number>>;
}

function own(deployment: Deployment, facts: RequestFacts, type: GatewayResponseType, message?: string, known: KnownSoFar = {}): Reply {
  const authorizerVariables = Object.fromEntries(Object.entries(known.authorizer ?? {}).map(([key, value]) => [`authorizer.${key}`, String(value)]));
  const reply: GatewayReply = gatewayResponse(
    type,
    deployment.api,
    {
      requestId: facts.requestId,
      extendedRequestId: facts.extendedRequestId,
      requestParameter: requestParameters(facts, known.pathParameters ?? null),
      variables: {
        ...authorizerVariables,
        stage: deployment.api.stageName,
        apiId: deployment.api.id,
        accountId: deployment.template.pseudo.accountId,
        httpMethod: facts.method,
        path: `/${deployment.api.stageName}${facts.rawPath}`,
        'identity.sourceIp': facts.sourceIp,
      },
    },
    message,
  );
  return { statusCode: reply.statusCode, headers: reply.headers, body: Buffer.from(reply.body, 'utf8') };
}

function send(response: ServerResponse, reply: Reply, facts: RequestFacts, deployment: Deployment, log: LogSink): void {
  if (response.destroyed) return;
  const headers = [...reply.headers];
  // Like API Gateway, a response without a Content-Type is sent as JSON.
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
  headers.push(['x-amzn-RequestId', facts.requestId], ['x-amz-apigw-id', facts.extendedRequestId]);
  if (reply.closeConnection) headers.push(['Connection', 'close']);
  try {
    response.writeHead(reply.statusCode, headers.flat());
  } catch {
    // A header name or value Node refuses (control characters): AWS would reject the response too.
    log(GATEWAY_LOG_SOURCE, `${facts.requestId} Execution failed due to configuration error: Malformed Lambda proxy response`, 'stderr');
    const failure = own(deployment, facts, 'INTEGRATION_FAILURE');
    response.writeHead(failure.statusCode, [...failure.headers, ['x-amzn-RequestId', facts.requestId]].flat());
    response.end(failure.body);
    return;
  }
  response.end(reply.body);
}

class IntegrationTimeout extends Error {
  override readonly name = 'IntegrationTimeout';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeout(`no response within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
