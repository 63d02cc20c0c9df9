import { InvalidRequest } from './errors.js';
import { isProductId } from './product.js';
import type { ProductCursor } from './product-store.js';

/**
 * The `next` parameter: base64url of the JSON key where the next page starts. Opaque to clients, but not
 * trusted from them: it comes back as query input, so decoding checks length, alphabet, JSON and shape
 * (exactly `{ id: <uuid> }`) before anything reaches DynamoDB as an ExclusiveStartKey.
 */
const MAX_CURSOR_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(cursor: ProductCursor): string {
  return Buffer.from(JSON.stringify({ id: cursor.id }), 'utf8').toString('base64url');
}

export function decodeCursor(value: string): ProductCursor {
  if (value.length > MAX_CURSOR_LENGTH || !BASE64URL.test(value)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalidCursor();
  const keys = Object.keys(decoded);
  const { id } = decoded as { id?: unknown };
  if (keys.length !== 1 || keys[0] !== 'id' || !isProductId(id)) throw invalidCursor();
  return { id };
}

function invalidCursor(): InvalidRequest {
  return new InvalidRequest('next: not a cursor returned by this API');
}
