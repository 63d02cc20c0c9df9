// Request payloads: read with API Gateway's 10 MB limit, and handed to the function either as text or
// base64 (isBase64Encoded).
//
// The rule for base64: when the API declares BinaryMediaTypes, it is AWS's rule exactly: base64 when the
// request Content-Type matches one of them (`image/*`, `*/*` wildcards allowed), text otherwise. When it
// declares none (this project's API), AWS would pass every body as text and mangle binary ones; the
// emulator instead passes text-like types as text (text/*, application/json, application/*+json,
// application/x-www-form-urlencoded, application/xml, application/*+xml, application/javascript) and any
// other declared type as base64. A body without Content-Type is text when it is valid UTF-8.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** API Gateway's payload quota for REST APIs. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
}

/** A transfer coding other than chunked (gzip, deflate, compress): its bytes are not decoded here. */
export class UnsupportedTransferCodingError extends Error {
  override readonly name = 'UnsupportedTransferCodingError';
}

/**
 * RFC 9112 §6.1: a server that receives a transfer coding it does not understand answers 501. Node
 * removes only the chunked framing, so with `gzip, chunked` the function would get the compressed bytes
 * as if they were the body. Node refuses a list whose last coding is not chunked itself (400).
 */
export function unsupportedTransferCoding(request: IncomingMessage): string | undefined {
  const header = request.headers['transfer-encoding'];
  if (header === undefined) return undefined;
  const codings = header.split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '');
  return codings.find((coding) => coding !== 'chunked') ?? (codings.length > 1 ? 'chunked applied twice' : undefined);
}

export function readBody(request: IncomingMessage, limit = MAX_PAYLOAD_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const coding = unsupportedTransferCoding(request);
    if (coding !== undefined) {
      reject(new UnsupportedTransferCodingError(`transfer coding ${coding} is not implemented`));
      return;
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new PayloadTooLargeError(`Content-Length ${declared} exceeds ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new PayloadTooLargeError(`payload exceeds ${limit} bytes`));
        // Stop buffering; the connection is closed after the 413 is sent.
        request.removeAllListeners('data');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new RequestAbortedError('the client went away before sending the whole request'));
    });
  });
}

const TEXT_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded', 'application/xml', 'application/javascript']);

export function encodeBody(
  body: Buffer,
  contentType: string | undefined,
  binaryMediaTypes: readonly string[],
): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  const mediaType = contentType?.split(';')[0]!.trim().toLowerCase() || undefined;
  const binary = binaryMediaTypes.length > 0 ? matchesAny(mediaType, binaryMediaTypes) : !isTextLike(mediaType, body);
  return binary ? { body: body.toString('base64'), isBase64Encoded: true } : { body: body.toString('utf8'), isBase64Encoded: false };
}

function isTextLike(mediaType: string | undefined, body: Buffer): boolean {
  if (mediaType === undefined) return isUtf8(body);
  return mediaType.startsWith('text/') || TEXT_TYPES.has(mediaType) || mediaType.endsWith('+json') || mediaType.endsWith('+xml');
}

function matchesAny(mediaType: string | undefined, patterns: readonly string[]): boolean {
  if (mediaType === undefined) return false;
  const [type, subtype] = mediaType.split('/');
  return patterns.some((pattern) => {
    const [patternType, patternSubtype] = pattern.toLowerCase().split('/');
    return (patternType === '*' || patternType === type) && (patternSubtype === '*' || patternSubtype === subtype);
  });
}
