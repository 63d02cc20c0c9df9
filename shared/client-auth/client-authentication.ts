import type { ClientStore } from '#shared/clients/client-store.js';
import { matchSecret, sha256Hashing, type SecretHashing, type SecretMatch } from '#shared/clients/client-secrets.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { InvalidClient } from '#shared/errors/oauth-errors.js';
import { loggableClientId } from './loggable-client-id.js';
import type { ClientAuthentication } from './client-credentials.js';

/** Longer ids are never looked up: no registered id is this long, and DynamoDB refuses keys over 2 KiB. */
const MAX_CLIENT_ID_LENGTH = 256;

/** Why authentication failed. Logged only: every reason gets the same answer. */
export type AuthenticationFailure =
  | 'no_client_authentication'
  | 'no_client_secret'
  | 'unknown_client'
  | 'disabled'
  | 'wrong_secret'
  | 'expired_secret';

const FAILED = 'Client authentication failed';

/**
 * RFC 6749 §2.3.1 / §5.2. An unknown client, a wrong or expired secret and a disabled client get one
 * identical invalid_client answer, after the same work: the secret is hashed and compared against the
 * maximum number of slots even when there is no client (RFC 9700 §4.1 — no client enumeration by content
 * or by timing). The real reason travels in the error's log context.
 */
export async function authenticateClient(
  store: ClientStore,
  auth: ClientAuthentication,
  now: Date,
  hashing: SecretHashing = sha256Hashing,
): Promise<RegisteredClient> {
  if (auth.method === 'none') {
    const reason = auth.clientId === undefined ? 'no_client_authentication' : 'no_client_secret';
    throw failure(auth.usedAuthorizationHeader, reason, auth.clientId, false);
  }
  const usedBasicAuth = auth.method === 'client_secret_basic';
  const client = auth.clientId.length <= MAX_CLIENT_ID_LENGTH ? await store.find(auth.clientId) : undefined;
  const secret = matchSecret(auth.clientSecret, client?.secrets ?? [], now, hashing);
  if (client === undefined) throw failure(usedBasicAuth, 'unknown_client', auth.clientId, false);
  const reason = refusal(client, secret);
  if (reason !== undefined) throw failure(usedBasicAuth, reason, auth.clientId, true);
  return client;
}

function refusal(client: RegisteredClient, secret: SecretMatch): AuthenticationFailure | undefined {
  if (client.status !== 'active') return 'disabled';
  if (secret === 'expired') return 'expired_secret';
  if (secret === 'none') return 'wrong_secret';
  return undefined;
}

function failure(usedBasicAuth: boolean, reason: AuthenticationFailure, clientId: string | undefined, registered: boolean): InvalidClient {
  const logged = clientId === undefined ? {} : loggableClientId(clientId, registered);
  return new InvalidClient(FAILED, usedBasicAuth).withContext({ reason, ...logged });
}
