import type { AssertionJtiStore } from '#shared/client-auth/assertion-jti-store.js';

/** The jti store's contract in memory: a record blocks its (client, jti) until it expires. */
export function memoryJtiStore(): AssertionJtiStore & { records: Map<string, number> } {
  const records = new Map<string, number>();
  return {
    records,
    async claim(clientId, jti, expiresAt, now) {
      const key = JSON.stringify([clientId, jti]);
      const existing = records.get(key);
      if (existing !== undefined && existing >= now) return false;
      records.set(key, expiresAt);
      return true;
    },
  };
}
