import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { parseForm, type FormParameters } from './form-urlencoded.js';
import type { ProxyEvent } from './proxy-event.js';
import { singleHeader } from './proxy-event.js';
import { decodeBase64, decodeUtf8, isWellFormedText } from './strict-decoding.js';

/**
 * A token request is a handful of short parameters; 4 KiB is generous for it and keeps parsing cheap.
 * Larger bodies are refused as 400 invalid_request rather than 413, so every refusal a client can meet
 * has the RFC 6749 §5.2 shape its OAuth library knows how to read.
 */
export const MAX_BODY_BYTES = 4096;
const MAX_BASE64_LENGTH = Math.ceil(MAX_BODY_BYTES / 3) * 4;

// RFC 6749 §3.2 / Appendix B. The media type is case-insensitive (RFC 9110 §8.3.1). Parameters are allowed
// and a charset is ignored: the form is always UTF-8 (WHATWG URL §5.1), and anything else fails decoding.
const FORM_MEDIA_TYPE = /^application\/x-www-form-urlencoded[ \t]*(?:;.*)?$/i;

const tooLarge = () => new InvalidRequest(`The request body exceeds ${MAX_BODY_BYTES} bytes`);

/** The request body as form parameters, or invalid_request. */
export function readFormBody(event: ProxyEvent): FormParameters {
  const contentType = singleHeader(event, 'Content-Type');
  if (contentType === undefined || !FORM_MEDIA_TYPE.test(contentType.trim())) {
    throw new InvalidRequest('The request body must be application/x-www-form-urlencoded');
  }
  const form = parseForm(bodyText(event.body, event.isBase64Encoded === true));
  if (form === undefined) throw new InvalidRequest('The request body is not well-formed application/x-www-form-urlencoded UTF-8');
  return form;
}

function bodyText(body: unknown, isBase64Encoded: boolean): string {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') throw new InvalidRequest('The request body is malformed');
  if (isBase64Encoded) {
    if (body.length > MAX_BASE64_LENGTH) throw tooLarge();
    const bytes = decodeBase64(body);
    if (bytes === undefined) throw new InvalidRequest('The request body is not valid base64');
    if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
    const text = decodeUtf8(bytes);
    if (text === undefined) throw new InvalidRequest('The request body is not valid UTF-8');
    return text;
  }
  // Every UTF-16 unit is at least one UTF-8 byte, so the cheap length test never lets too much through.
  if (body.length > MAX_BODY_BYTES || Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw tooLarge();
  if (!isWellFormedText(body)) throw new InvalidRequest('The request body is not valid UTF-8');
  return body;
}
