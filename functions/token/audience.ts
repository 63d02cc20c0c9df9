import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { InvalidTarget } from '#shared/errors/oauth-errors.js';
import { isResourceIndicator } from '#shared/oauth/resource-indicator.js';

/** RFC 7519 §4.1.3: one audience as a string, several as an array of strings. */
export type Audience = string | readonly string[];

/**
 * RFC 8707 §2: the token's audience. Without `resource`, the client's default audience. With one or more
 * ("Multiple resource parameters MAY be used to indicate that the requested token is intended to be used
 * at multiple resources"), every one of them, provided the client may have tokens for each: one resource
 * it may not have refuses the whole request with invalid_target rather than narrowing it, as scope is
 * never narrowed. Values are compared as strings (RFC 3986 §6.2.1); repeats collapse, first order kept,
 * and a single audience stays a string so a one-resource token looks as it always did.
 */
export function selectAudience(client: RegisteredClient, resources: readonly string[]): Audience {
  if (resources.length === 0) return client.defaultAudience;
  const requested = [...new Set(resources)];
  for (const resource of requested) {
    if (!isResourceIndicator(resource)) throw new InvalidTarget('The resource must be an absolute URI without a fragment');
    if (resource !== client.defaultAudience && !client.allowedAudiences.includes(resource)) {
      throw new InvalidTarget('The client may not request a token for this resource').withContext({
        clientId: client.clientId,
        reason: 'audience_not_allowed',
      });
    }
  }
  return requested.length === 1 ? (requested[0] as string) : requested;
}
