// The random ids API Gateway gives every request. One randomBytes() call per id cost about a tenth of the
// gateway's time under load (each call is a trip into OpenSSL); like crypto.randomUUID, they are drawn
// from a pool of random bytes refilled a few KiB at a time.
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let used = 0;

/** `count` fresh random bytes, encoded; no byte of the pool is handed out twice. */
function random(count: number, encoding: 'hex' | 'base64'): string {
  if (used + count > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += count;
  return pool.toString(encoding, used - count, used);
}

/** requestContext.extendedRequestId and the x-amz-apigw-id header: 15 base64 characters and `=`. */
export function extendedRequestId(): string {
  return `${random(12, 'base64').slice(0, 15)}=`;
}

/** The X-Amzn-Trace-Id API Gateway adds: `Root=1-<epoch seconds, hex>-<96 random bits, hex>`. */
export function traceId(date: Date): string {
  return `Root=1-${Math.floor(date.getTime() / 1000).toString(16)}-${random(12, 'hex')}`;
}
