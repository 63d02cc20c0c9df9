import type { ClientStore } from '#shared/clients/client-store.js';
import { matchSecret, sha256Hashing, type SecretHashing, type SecretMatch } from '#shared/clients/client-secrets.js';
import { usesPrivateKeyJwt, type RegisteredClient } from '#shared/clients/registered-client.js';
import { InvalidClient } from '#shared/errors/oauth-errors.js';
import type { AssertionJtiStore } from './assertion-jti-store.js';
import type { ClientAuthentication } from './client-credentials.js';
import {
  AssertionRejected,
  candidateKeys,
  checkAssertionClaims,
  claimedClientId,
  decodeAssertion,
  decoyKey,
  nodeSignatureVerification,
  publicKeyObject,
  type AssertionFailure,
  type SignatureVerification,
} from './jwt-client-assertion.js';
import { loggableClientId } from './loggable-client-id.js';

/** Longer ids are never looked up: no registered id is this long, and DynamoDB refuses keys over 2 KiB. */
const MAX_CLIENT_ID_LENGTH = 256;

/** Why authentication failed. Logged only: every reason gets the same answer. */
export type AuthenticationFailure =
  | 'no_client_authentication'
  | 'no_client_secret'
  | 'unknown_client'
  | 'disabled'
  | 'wrong_secret'
  | 'expired_secret'
  /** A secret for a private_key_jwt client, or an assertion for a secret client. */
  | 'wrong_auth_method'
  | AssertionFailure;

/** What authentication needs, whichever endpoint asks: the client registry and, for assertions, the jti store. */
export interface ClientAuthenticationPorts {
  clients: ClientStore;
  /** Where each accepted assertion's jti is recorded, so it is accepted once. */
  assertionJtis: AssertionJtiStore;
  /** SHA-256 and timingSafeEqual unless a test counts them. */
  hashing?: SecretHashing;
  /** node:crypto unless a test counts the verifications. */
  signatures?: SignatureVerification;
}

export interface AuthenticationContext {
  now: Date;
  /**
   * What identifies this server as an assertion's audience (RFC 7523 §3 item 3): its issuer identifier and
   * the URL of the endpoint being called (token, revocation, introspection).
   */
  audiences: readonly string[];
  /** Tolerance on an assertion's exp, nbf and iat. */
  clockSkewSeconds?: number;
  /** How far ahead an assertion's exp may be. */
  maxAssertionLifetimeSeconds?: number;
}

const DEFAULT_CLOCK_SKEW_SECONDS = 30;
/** An assertion is made for one request; five minutes covers any clock and any retry. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

const FAILED = 'Client authentication failed';

/**
 * RFC 6749 §2.3 / §5.2, RFC 7521 §4.2, RFC 7523 §3. One module for every endpoint that authenticates
 * clients, in the order node-oidc-provider's client_auth uses: the mechanism was read from the request
 * (client-credentials.ts), the client is loaded, a mechanism that is not the client's registered one is
 * refused, and only then is the credential checked. An unknown client, a disabled one, a wrong method, a
 * wrong secret or a bad assertion get one identical invalid_client answer after the same work — a secret
 * is hashed and compared against every slot, an assertion's signature verified once (against a decoy key
 * when there is no registered one) — so neither the answer nor its timing tells which clients exist (RFC
 * 9700 §4.1). The real reason travels in the error's log context.
 */
export async function authenticateClient(
  ports: ClientAuthenticationPorts,
  auth: ClientAuthentication,
  context: AuthenticationContext,
): Promise<RegisteredClient> {
  if (auth.method === 'none') {
    const reason = auth.clientId === undefined ? 'no_client_authentication' : 'no_client_secret';
    throw failure(auth.usedAuthorizationHeader, reason, auth.clientId, false);
  }
  if (auth.method === 'private_key_jwt') return authenticateAssertion(ports, auth.assertion, auth.clientId, context);

  const usedBasicAuth = auth.method === 'client_secret_basic';
  const client = await lookUp(ports.clients, auth.clientId);
  const secret = matchSecret(auth.clientSecret, client?.secrets ?? [], context.now, ports.hashing ?? sha256Hashing);
  if (client === undefined) throw failure(usedBasicAuth, 'unknown_client', auth.clientId, false);
  const reason = secretRefusal(client, secret);
  if (reason !== undefined) throw failure(usedBasicAuth, reason, auth.clientId, true);
  return client;
}

function lookUp(clients: ClientStore, clientId: string): Promise<RegisteredClient | undefined> {
  return clientId.length <= MAX_CLIENT_ID_LENGTH ? clients.find(clientId) : Promise.resolve(undefined);
}

function secretRefusal(client: RegisteredClient, secret: SecretMatch): AuthenticationFailure | undefined {
  if (client.status !== 'active') return 'disabled';
  // A private_key_jwt client has no secrets, so the match above compared decoys only, as for a wrong secret.
  if (usesPrivateKeyJwt(client)) return 'wrong_auth_method';
  if (secret === 'expired') return 'expired_secret';
  if (secret === 'none') return 'wrong_secret';
  return undefined;
}

async function authenticateAssertion(
  ports: ClientAuthenticationPorts,
  assertion: string,
  postedClientId: string | undefined,
  context: AuthenticationContext,
): Promise<RegisteredClient> {
  let decoded;
  try {
    decoded = decodeAssertion(assertion);
  } catch (error) {
    if (error instanceof AssertionRejected) throw failure(false, error.reason, postedClientId, false);
    throw error;
  }
  const clientId = claimedClientId(decoded.claims);
  if (clientId === undefined) throw failure(false, 'malformed_assertion', postedClientId, false);

  const client = await lookUp(ports.clients, clientId);
  const keyClient = client !== undefined && usesPrivateKeyJwt(client);
  const candidates = keyClient ? candidateKeys(client.jwks ?? [], decoded.alg, decoded.kid) : [];
  const signatures = ports.signatures ?? nodeSignatureVerification;
  let verified = false;
  if (candidates.length === 0) {
    signatures.verify(decoded.alg, decoded.signingInput, decoyKey(decoded.alg), decoded.signature);
  } else {
    for (const key of candidates) {
      if (signatures.verify(decoded.alg, decoded.signingInput, publicKeyObject(key), decoded.signature)) {
        verified = true;
        break;
      }
    }
  }

  const now = Math.floor(context.now.getTime() / 1000);
  const checked = checkAssertionClaims(decoded.claims, clientId, postedClientId, {
    audiences: context.audiences,
    clockSkewSeconds: context.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    maxLifetimeSeconds: context.maxAssertionLifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS,
  }, now);

  const reason: AuthenticationFailure | undefined =
    client === undefined ? 'unknown_client'
    : client.status !== 'active' ? 'disabled'
    : !keyClient ? 'wrong_auth_method'
    : candidates.length === 0 ? 'unknown_kid'
    : !verified ? 'bad_signature'
    : typeof checked === 'string' ? checked
    : undefined;
  if (reason !== undefined) throw failure(false, reason, clientId, client !== undefined, decoded.kid);
  const accepted = checked as Exclude<typeof checked, string>;

  // Last, once everything else holds: only a genuine assertion may use up its jti.
  if (!(await ports.assertionJtis.claim(clientId, accepted.jti, accepted.expiresAt, now))) throw failure(false, 'replayed', clientId, true, decoded.kid);
  return client as RegisteredClient;
}

const MAX_LOGGED_KID_LENGTH = 128;

function failure(
  usedBasicAuth: boolean,
  reason: AuthenticationFailure,
  clientId: string | undefined,
  registered: boolean,
  kid?: string,
): InvalidClient {
  const logged = clientId === undefined ? {} : loggableClientId(clientId, registered);
  const loggedKid = kid !== undefined && registered && kid.length <= MAX_LOGGED_KID_LENGTH ? { kid } : {};
  return new InvalidClient(FAILED, usedBasicAuth).withContext({ reason, ...logged, ...loggedKid });
}
