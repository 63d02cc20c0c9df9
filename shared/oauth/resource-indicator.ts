// RFC 3986 §4.3 absolute-URI = scheme ":" hier-part [ "?" query ]: no fragment, only URI characters.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?[\]]|%[0-9A-Fa-f]{2})*$/;

/**
 * RFC 8707 §2: a resource indicator is an absolute URI without a fragment; `urn:` values qualify.
 * Audiences are registered with this check so every one of them is also a `resource` a client can request.
 */
export function isResourceIndicator(value: string): boolean {
  return ABSOLUTE_URI.test(value);
}
