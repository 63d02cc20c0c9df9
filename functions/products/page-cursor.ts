import * as z from 'zod/mini';
import { InvalidRequest } from './errors.js';
import { productIdSchema } from './product.js';
import type { ProductCursor } from './product-store.js';

/**
 * The `next` parameter: base64url of the JSON key where the next page starts. Opaque to clients, but not
 * trusted from them: it comes back as query input, so decoding checks length, alphabet, JSON and shape
 * (exactly `{ id: <uuid> }`) before anything reaches DynamoDB as an ExclusiveStartKey.
 */
const MAX_CURSOR_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const cursorSchema = z.strictObject({ id: productIdSchema });

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
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw invalidCursor();
  return { id: parsed.data.id };
}

function invalidCursor(): InvalidRequest {
  return new InvalidRequest('next: not a cursor returned by this API');
}
