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
  /** 0 when the server closed the connection before a response could be read (see `closedEarly`). */
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /**
   * The server closed the connection while the body was still being sent (EPIPE or ECONNRESET): it
   * refused the request early, as the gateway does for a body over its payload quota. Its answer was
   * written before the close; whether it can still be read depends on whether the reset reached the
   * client first, so the response is kept when it arrived and `status` is 0 when it did not.
   */
  closedEarly?: true;
}

// Keep-alive, so a catalogue of a few hundred requests does not open a few hundred sockets.
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = raw.body === undefined ? undefined : Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(raw.body, 'utf8');
  return new Promise((resolve, reject) => {
    let responded = false;
    let closedEarly: true | undefined;
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
        responded = true;
        const chunks: Buffer[] = [];
        const settle = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: parseJson(text), ...(closedEarly ? { closedEarly } : {}) });
        };
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => (closedEarly ? settle() : reject(error)));
        response.on('end', settle);
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (body !== undefined && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) {
        // A response that started before the reset settles through its own handlers (below).
        if (!responded) resolve({ status: 0, headers: {}, text: '', json: undefined, closedEarly: true });
        closedEarly = true;
        return;
      }
      reject(error);
    });
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
