import { createHash } from 'node:crypto';
import { isGeneratedClientIdShape } from '#shared/clients/client-secrets.js';

/** How a refused client id appears in the log: the id itself, or only a fingerprint of it and its length. */
export type LoggedClientId = { clientId: string } | { clientIdSha256: string; clientIdLength: number };

// 32 bits of SHA-256: enough to see that two refusals carried the same text, nothing to guess a secret from.
const FINGERPRINT_HEX_DIGITS = 8;

/**
 * A refused id is the caller's text, and callers put secrets there: `curl -u secret:id` and Postman's
 * Username/Password fields swapped send the secret as the id (RFC 6819 §5.1.4.1: no secrets in logs). So
 * it is logged verbatim only when it names a registered client, or has the shape of a generated id, which
 * no secret has; anything else — a typo of a chosen id included — only as a fingerprint and a length,
 * which also keeps a 10 KB id out of the log line.
 */
export function loggableClientId(clientId: string, registered: boolean): LoggedClientId {
  // Hashed whether or not it is logged, so a refusal of an unknown id costs what a known one's does.
  const fingerprint = createHash('sha256').update(clientId, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX_DIGITS);
  if (registered || isGeneratedClientIdShape(clientId)) return { clientId };
  return { clientIdSha256: fingerprint, clientIdLength: clientId.length };
}
