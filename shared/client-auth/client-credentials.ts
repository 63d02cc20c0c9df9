import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { parseAuthorization } from './authorization-header.js';

/**
 * How the client tried to authenticate (RFC 6749 §2.3.1), as read from the request; nothing verified yet.
 * Every endpoint that authenticates clients (token, revocation, introspection) reads it here and checks it in
 * client-authentication.ts, so none of them knows how clients authenticate.
 */
export type ClientAuthentication =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  /** RFC 7523 §2.2: a JWT signed by the client. `clientId`: the client_id parameter, when also sent. */
  | { method: 'private_key_jwt'; clientId: string | undefined; assertion: string }
  /** No secret presented. `usedAuthorizationHeader`: an Authorization header with a scheme other than Basic. */
  | { method: 'none'; clientId: string | undefined; usedAuthorizationHeader: boolean };

/** The RFC 7521 §4.2 parameters, as posted. */
export interface PostedAssertion {
  clientAssertionType: string | undefined;
  clientAssertion: string | undefined;
}

/** RFC 7523 §2.2: the one assertion type this server takes. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The RFC 7521/7523 request parameters an endpoint that authenticates clients must know. */
export const CLIENT_AUTHENTICATION_PARAMETERS = ['client_id', 'client_secret', 'client_assertion_type', 'client_assertion'] as const;

/** Works out which mechanism the request used, refusing more than one as invalid_request (RFC 6749 §2.3). */
export function readClientCredentials(
  authorization: string | undefined,
  postedId: string | undefined,
  postedSecret: string | undefined,
  posted: PostedAssertion = { clientAssertionType: undefined, clientAssertion: undefined },
): ClientAuthentication {
  const header = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (posted.clientAssertionType !== undefined || posted.clientAssertion !== undefined) {
    return assertionCredentials(header !== undefined, postedId, postedSecret, posted);
  }
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

/**
 * RFC 7521 §4.2: both parameters, the type this server knows, and nothing else that authenticates —
 * RFC 6749 §2.3 allows one method per request, so an assertion beside Basic credentials or a secret is
 * invalid_request, decided before any client is looked up.
 */
function assertionCredentials(
  hasAuthorizationHeader: boolean,
  postedId: string | undefined,
  postedSecret: string | undefined,
  { clientAssertionType, clientAssertion }: PostedAssertion,
): ClientAuthentication {
  if (hasAuthorizationHeader || postedSecret !== undefined) {
    throw new InvalidRequest('Client credentials must be sent in one place only');
  }
  if (clientAssertionType === undefined) throw new InvalidRequest('client_assertion requires client_assertion_type');
  if (clientAssertion === undefined) throw new InvalidRequest('client_assertion_type requires client_assertion');
  if (clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
    throw new InvalidRequest(`The client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
  }
  return { method: 'private_key_jwt', clientId: postedId, assertion: clientAssertion };
}
