import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { InvalidScope } from '#shared/errors/oauth-errors.js';
import { parseScope } from '#shared/oauth/scope.js';

/**
 * RFC 6749 §3.3: the requested scope, or the client's default scope when the parameter is omitted;
 * either way only scopes the client is allowed. A request beyond that is refused with invalid_scope
 * rather than silently narrowed, so a client never holds less than it believes it asked for.
 */
export function grantScopes(client: RegisteredClient, requested: string | undefined): string[] {
  const scopes = requested === undefined ? [...new Set(client.defaultScopes)] : parseScope(requested);
  if (scopes === undefined) throw new InvalidScope('The scope parameter is not a space-delimited list of scope tokens');
  // §3.3 lets the server "fail the request indicating an invalid scope" when there is no default.
  if (scopes.length === 0) throw new InvalidScope('No scope was requested and the client has no default scope');
  const allowed = new Set(client.allowedScopes);
  const excess = scopes.filter((scope) => !allowed.has(scope));
  if (excess.length > 0) {
    throw new InvalidScope('The requested scope exceeds the scope granted to the client').withContext({
      clientId: client.clientId,
      reason: 'scope_not_allowed',
      refusedScope: excess.join(' '),
    });
  }
  return scopes;
}
