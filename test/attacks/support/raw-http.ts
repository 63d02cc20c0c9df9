import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/**
 * What a hostile client can put on the wire and `fetch` will not: repeated headers (an array value
 * becomes one header line per element), Latin-1 bytes in header values, any method, a raw path that is
 * sent exactly as written (no `..` normalisation, no re-encoding).
 */
export interface RawRequest {
  method: string;
  /** Path and query, sent verbatim. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

// Keep-alive, so a catalogue of a few hundred requests does not open a few hundred sockets.
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = raw.body === undefined ? undefined : Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(raw.body, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        headers: { ...raw.headers, ...(body === undefined ? {} : { 'Content-Length': String(body.length) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: parseJson(text) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
