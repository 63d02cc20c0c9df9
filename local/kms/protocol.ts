import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { RequestTooLargeError, SerializationError, UnknownOperationError, type KmsError } from './errors.js';
import type { RequestBody } from './params.js';

/**
 * The AWS JSON 1.1 protocol as KMS speaks it: POST /, `X-Amz-Target: TrentService.<Operation>`,
 * a JSON object in, a JSON object (or nothing) out, errors as `{"__type", "message"}`.
 */

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'TrentService.';

/** The operation name, or UnknownOperationException for anything that is not a TrentService target. */
export function operationName(headers: IncomingHttpHeaders): string {
  const target = headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) throw new UnknownOperationError(target?.toString());
  return target.slice(TARGET_PREFIX.length);
}

// SigV4: "AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request, ..."
const CREDENTIAL_SCOPE = /Credential=[^/\s,]+\/\d{8}\/([a-z0-9-]+)\/[^/\s,]+\/aws4_request/;

/** The signing region, which is the region the SDK believes it is talking to. */
export function regionFromAuthorization(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : CREDENTIAL_SCOPE.exec(authorization)?.[1];
}

/** The client went away before sending its whole request; there is no one left to answer. */
export class ClientDisconnected extends Error {
  constructor(cause: unknown) {
    super('client disconnected', { cause });
  }
}

/**
 * Collects the body, refusing more than `limitBytes`. An oversized body is still drained (without
 * being kept) so the client gets to read the refusal instead of a reset connection.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => (size > limitBytes ? reject(new RequestTooLargeError(limitBytes)) : resolve(Buffer.concat(chunks))));
    request.on('error', (error) => reject(new ClientDisconnected(error)));
  });
}

/** The SDK always sends an object (`{}` for no input); anything else cannot be deserialized. */
export function parseBody(raw: Buffer): RequestBody {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new SerializationError('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SerializationError('The request body must be a JSON object.');
  }
  return value as RequestBody;
}

function send(response: ServerResponse, status: number, requestId: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...headers,
  });
  response.end(body);
}

/** Operations without output answer 200 with an empty body, as KMS does. */
export function sendResult(response: ServerResponse, requestId: string, result: Record<string, unknown> | undefined): void {
  send(response, 200, requestId, result === undefined ? '' : JSON.stringify(result));
}

export function sendError(response: ServerResponse, requestId: string, error: KmsError): void {
  send(response, error.status, requestId, JSON.stringify({ __type: error.type, message: error.message }), {
    'x-amzn-ErrorType': `${error.type}:http://internal.amazon.com/coral/com.amazonaws.kms/`,
  });
}
