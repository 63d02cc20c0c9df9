import type { StoredSecret } from './registered-client.js';

/** Same rule as matchesActiveSecret: a secret stops working at its expiresAt instant. */
export function isExpired(secret: StoredSecret, now: Date): boolean {
  return secret.expiresAt !== undefined && Date.parse(secret.expiresAt) <= now.getTime();
}
