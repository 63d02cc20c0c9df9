/**
 * RFC 7523 §3 item 7 / RFC 7519 §4.1.7: a client assertion's jti is used once. The store remembers each
 * (client, jti) until the assertion could no longer be accepted anyway, then forgets it by itself.
 */
export interface AssertionJtiStore {
  /**
   * Records the jti as used until `expiresAt` (epoch seconds), atomically: false when it was already
   * recorded and that record has not expired at `now` (epoch seconds), i.e. a replay.
   */
  claim(clientId: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
}
