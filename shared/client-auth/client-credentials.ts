import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { parseAuthorization } from './authorization-header.js';

/**
 * How the client tried to authenticate (RFC 6749 §2.3.1), as read from the request; nothing verified yet.
 * Every endpoint that authenticates clients (token, revocation, introspection) reads it here and checks it in
 * client-authentication.ts, so none of them knows how clients authenticate.
 */
export type ClientAuthentication =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  /** No secret presented. `usedAuthorizationHeader`: an Authorization header with a scheme other than Basic. */
  | { method: 'none'; clientId: string | undefined; usedAuthorizationHeader: boolean };

/** Works out which mechanism the request used, refusing more than one as invalid_request (RFC 6749 §2.3). */
export function readClientCredentials(
  authorization: string | undefined,
  postedId: string | undefined,
  postedSecret: string | undefined,
): ClientAuthentication {
  const header = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (header?.scheme === 'basic') {
    // §2.3: "The client MUST NOT use more than one authentication method in each request."
    if (postedSecret !== undefined) throw new InvalidRequest('Client credentials must be sent in one place only');
    if (postedId !== undefined && postedId !== header.clientId) {
      throw new InvalidRequest('The client_id parameter does not match the Authorization header');
    }
    return { method: 'client_secret_basic', clientId: header.clientId, clientSecret: header.clientSecret };
  }
  if (postedSecret !== undefined) {
    if (postedId === undefined) throw new InvalidRequest('client_secret requires client_id');
    if (header !== undefined) throw new InvalidRequest('Client credentials must be sent in one place only');
    return { method: 'client_secret_post', clientId: postedId, clientSecret: postedSecret };
  }
  return { method: 'none', clientId: postedId, usedAuthorizationHeader: header !== undefined };
}
