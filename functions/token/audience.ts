import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { InvalidTarget } from '#shared/errors/oauth-errors.js';

// RFC 3986 §4.3 absolute-URI = scheme ":" hier-part [ "?" query ] — so no fragment, and only URI characters.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?[\]]|%[0-9A-Fa-f]{2})*$/;

/**
 * RFC 8707 §2: the token's audience. Without `resource`, the client's default audience; with one, that
 * resource if the client may have tokens for it. The values are compared as strings (RFC 3986 §6.2.1).
 * RFC 8707 lets a client name several resources, but a token here carries a single `aud`, so more than one
 * is refused with invalid_target, the code §2 gives for resources the server will not issue a token for.
 */
export function selectAudience(client: RegisteredClient, resources: readonly string[]): string {
  if (resources.length === 0) return client.defaultAudience;
  const [resource] = resources;
  if (resources.length > 1 || resource === undefined) {
    throw new InvalidTarget('Only one resource may be requested per token');
  }
  if (!ABSOLUTE_URI.test(resource)) throw new InvalidTarget('The resource must be an absolute URI without a fragment');
  if (resource !== client.defaultAudience && !client.allowedAudiences.includes(resource)) {
    throw new InvalidTarget('The client may not request a token for this resource').withContext({
      clientId: client.clientId,
      reason: 'audience_not_allowed',
    });
  }
  return resource;
}
