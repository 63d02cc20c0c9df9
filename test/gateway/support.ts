// Starts the fixture template behind a real local gateway and records every log line, so tests talk
// HTTP to it exactly as clients of the local stack do.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startGateway, type Gateway } from '../../local/gateway/server.js';
import type { LogStream } from '../../local/runtime/log-sink.js';
import { loadTemplate, type LoadedTemplate, type ResolutionInputs } from '../../local/template/index.js';

export const FIXTURE_TEMPLATE = fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url));

export const FIXTURE_KEY = {
  ref: 'fixture-key-id',
  attributes: { Arn: 'arn:aws:kms:us-east-1:123456789012:key/fixture-key-id' },
};

export const FIXTURE_INPUTS: ResolutionInputs = { resources: { FixtureKey: FIXTURE_KEY } };

export const BASE_ENV = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
};

export interface LogLine {
  source: string;
  line: string;
  stream: LogStream;
}

export interface FixtureGateway {
  gateway: Gateway;
  template: LoadedTemplate;
  logs: LogLine[];
  url(path: string): string;
}

export async function startFixtureGateway(inputs: ResolutionInputs = FIXTURE_INPUTS): Promise<FixtureGateway> {
  const template = await loadTemplate(FIXTURE_TEMPLATE, inputs);
  const logs: LogLine[] = [];
  const gateway = await startGateway({
    template,
    baseEnv: BASE_ENV,
    log: (source, line, stream) => logs.push({ source, line, stream }),
  });
  return { gateway, template, logs, url: (path) => `${gateway.url}${path}` };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: Buffer;
}

/**
 * A request with exact header names and a path sent byte for byte (fetch lower-cases header names and
 * normalises URLs, which would hide what the gateway does with them).
 */
export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: [string, string][]; body?: Buffer | string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: options.method ?? 'GET', path: options.path, headers: [['Host', `${hostname}:${port}`], ...(options.headers ?? [])].flat() }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The event the echo fixture received, from its JSON answer. */
export async function echoed(response: Response): Promise<EchoBody> {
  if (response.status !== 200) throw new Error(`expected 200 from echo, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as EchoBody;
}

export interface EchoBody {
  event: APIGatewayProxyEvent;
  context: Record<string, unknown> & { remainingMs: number };
  env: Record<string, string | undefined>;
  marker: string | null;
}
