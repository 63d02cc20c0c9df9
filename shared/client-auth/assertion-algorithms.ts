/**
 * RFC 7518 §3.3, §3.5, §3.4 — the algorithms a private_key_jwt assertion may use, and nothing else: never
 * `none`, never HMAC (RFC 8725 §3.1, §2.1). Its own module so that discovery can publish the list without
 * loading the verification code.
 */
export const ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];
