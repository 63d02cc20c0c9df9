import { createRequire } from 'node:module';

/**
 * The load driver behind `npm run load` and test/load: autocannon connections hammering one stack with
 * the mix a resource server sees — mostly protected calls (GET /products with a bearer token), and one
 * token request (client_credentials) in every `callsPerTokenRequest + 1`. Every response is checked for
 * the status its kind must have (200); fresh tokens go back into the pool the protected calls draw from,
 * so the authorizer keeps meeting tokens it has not cached yet.
 */
export interface LoadTarget {
  /** Base URL of the API stage (may include the stage path). */
  apiUrl: string;
  tokenEndpoint: string;
}

export interface LoadOptions {
  target: LoadTarget;
  client: { clientId: string; clientSecret: string };
  connections: number;
  durationSeconds: number;
  /** Protected calls per token request (10: one token request per 10 GETs). */
  callsPerTokenRequest?: number;
  /** Tokens fetched before the run starts. */
  tokenPoolSize?: number;
  /** Called about once a second with the requests completed so far. */
  onTick?: (completed: number) => void;
}

export type RequestKind = 'token' | 'protected';

export interface LoadReport {
  connections: number;
  durationSeconds: number;
  requests: { total: number; perSecond: number; byKind: Record<RequestKind, number> };
  latencyMs: { average: number; p50: number; p90: number; p99: number; max: number };
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  serverErrors: number;
  /** Responses whose status was not the one their kind must have, by kind and status. */
  unexpected: Record<string, number>;
}

// autocannon ships no type declarations; this is the part of its API the driver uses.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { average: number; p50: number; p90: number; p99: number; max: number };
  requests: { average: number; total: number };
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'tick', listener: (tick: { counter: number }) => void): void;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: AutocannonRequest[];
}) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const FORM = 'application/x-www-form-urlencoded';
const EXPECTED_STATUS: Record<RequestKind, number> = { token: 200, protected: 200 };

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64')}`;
}

async function fetchToken(tokenEndpoint: string, authorization: string): Promise<string> {
  const response = await fetch(tokenEndpoint, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': FORM }, body: 'grant_type=client_credentials' });
  const body = (await response.json()) as { access_token?: unknown };
  if (response.status !== 200 || typeof body.access_token !== 'string') throw new Error(`the token endpoint refused the load client: ${response.status}`);
  return body.access_token;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { target, client, connections, durationSeconds, callsPerTokenRequest = 10, tokenPoolSize = 20 } = options;
  const authorization = basicCredentials(client.clientId, client.clientSecret);
  const pool = await Promise.all(Array.from({ length: tokenPoolSize }, () => fetchToken(target.tokenEndpoint, authorization)));
  const stagePath = new URL(target.apiUrl).pathname.replace(/\/$/, '');
  const tokenPath = new URL(target.tokenEndpoint).pathname;
  const productsUrl = new URL(`${stagePath}/products?limit=5`, target.apiUrl);
  // Cold starts are not what this measures: one protected call first brings up the authorizer and the
  // products function (and proves the client's tokens open the API at all).
  const warmUp = await fetch(productsUrl, { headers: { Authorization: `Bearer ${pool[0] ?? ''}` } });
  if (warmUp.status !== 200) throw new Error(`GET /products refused the load client's token: ${warmUp.status}`);

  let issued = 0;
  let sent = 0;
  const byKind: Record<RequestKind, number> = { token: 0, protected: 0 };
  const unexpected: Record<string, number> = {};

  const instance = autocannon({
    url: target.apiUrl,
    connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [
      {
        setupRequest(request, context): AutocannonRequest {
          const kind: RequestKind = sent++ % (callsPerTokenRequest + 1) === 0 ? 'token' : 'protected';
          context.kind = kind;
          if (kind === 'token') {
            return { ...request, method: 'POST', path: tokenPath, headers: { Authorization: authorization, 'Content-Type': FORM }, body: 'grant_type=client_credentials' };
          }
          const token = pool[sent % pool.length] ?? '';
          return { ...request, method: 'GET', path: `${productsUrl.pathname}${productsUrl.search}`, headers: { Authorization: `Bearer ${token}` }, body: '' };
        },
        onResponse(status, body, context) {
          const kind = context.kind as RequestKind;
          byKind[kind] += 1;
          if (status !== EXPECTED_STATUS[kind]) {
            const key = `${kind} ${status}`;
            unexpected[key] = (unexpected[key] ?? 0) + 1;
            return;
          }
          if (kind === 'token') {
            const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
            if (typeof token === 'string') pool[issued++ % pool.length] = token;
          }
        },
      },
    ],
  });
  if (options.onTick) {
    let completed = 0;
    instance.on('tick', ({ counter }) => options.onTick?.((completed += counter)));
  }
  const result = await instance;

  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]));
  return {
    connections,
    durationSeconds: result.duration,
    requests: { total: byKind.token + byKind.protected, perSecond: result.requests.average, byKind },
    latencyMs: { average: result.latency.average, p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    serverErrors: result['5xx'],
    unexpected,
  };
}

/** Why the run counts as failed; empty when every request got the answer it should. */
export function loadFailures(report: LoadReport): string[] {
  const failures: string[] = [];
  if (report.errors > 0) failures.push(`${report.errors} connection errors (${report.timeouts} timeouts)`);
  if (report.serverErrors > 0) failures.push(`${report.serverErrors} responses with a 5xx status`);
  for (const [kind, count] of Object.entries(report.unexpected)) failures.push(`${count} × unexpected ${kind}`);
  if (report.requests.byKind.token === 0) failures.push('no token request completed');
  if (report.requests.byKind.protected === 0) failures.push('no protected call completed');
  return failures;
}

export function formatLoadReport(report: LoadReport): string {
  const { requests, latencyMs } = report;
  const statuses = Object.entries(report.statuses).map(([status, count]) => `${status}: ${count}`).join(', ') || 'none';
  return [
    `${report.connections} connections for ${report.durationSeconds.toFixed(1)} s`,
    `requests:   ${requests.total} (${requests.byKind.token} token requests, ${requests.byKind.protected} GET /products), ${requests.perSecond.toFixed(0)} req/s`,
    `latency:    p50 ${latencyMs.p50} ms, p90 ${latencyMs.p90} ms, p99 ${latencyMs.p99} ms, max ${latencyMs.max} ms (average ${latencyMs.average.toFixed(1)} ms)`,
    `statuses:   ${statuses}`,
    `errors:     ${report.errors} (timeouts ${report.timeouts}), 5xx: ${report.serverErrors}`,
  ].join('\n');
}
