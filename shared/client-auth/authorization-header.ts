import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { decodeFormComponent } from '#shared/http/form-urlencoded.js';
import { decodeBase64, decodeUtf8 } from '#shared/http/strict-decoding.js';

/** What an Authorization header carried: Basic client credentials, or some scheme this endpoint does not take. */
export type AuthorizationCredentials =
  | { scheme: 'basic'; clientId: string; clientSecret: string }
  | { scheme: 'unsupported' };

// RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]; schemes are case-insensitive.
const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/;

const malformed = () => new InvalidRequest('The Authorization header is not valid Basic credentials');

/**
 * RFC 6749 §2.3.1: the client id and secret are each application/x-www-form-urlencoded, then joined
 * with ':' and base64-encoded as RFC 7617 Basic credentials. So the decoding is base64 → UTF-8 → split
 * at the first ':' (an encoded id cannot contain one) → form-decode each part ('+' is a space, %XX a byte).
 * Anything that does not decode exactly is refused as invalid_request, never repaired.
 */
export function parseAuthorization(header: string): AuthorizationCredentials {
  const match = CREDENTIALS.exec(header.trim());
  if (match === null) throw new InvalidRequest('The Authorization header is malformed');
  const [, scheme = '', token68 = ''] = match;
  if (scheme.toLowerCase() !== 'basic') return { scheme: 'unsupported' };

  const bytes = decodeBase64(token68);
  const userPass = bytes === undefined ? undefined : decodeUtf8(bytes);
  const colon = userPass?.indexOf(':') ?? -1;
  if (userPass === undefined || colon === -1) throw malformed();
  const clientId = decodeFormComponent(userPass.slice(0, colon));
  const clientSecret = decodeFormComponent(userPass.slice(colon + 1));
  if (!clientId || !clientSecret) throw malformed();
  return { scheme: 'basic', clientId, clientSecret };
}
