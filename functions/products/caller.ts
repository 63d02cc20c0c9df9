import { parseScope } from '#shared/oauth/scope.js';
import { readSecondsText } from '#shared/tokens/numeric-date.js';
import { NotAuthenticated } from './errors.js';

/** Who is calling, as the authorizer established it. */
export interface Caller {
  clientId: string;
  scopes: ReadonlySet<string>;
}

/**
 * Reads the caller from event.requestContext.authorizer, the only source trusted here: the Authorization
 * header is never re-read. Fails closed when the context is absent or malformed (the route was deployed
 * without the authorizer, or an emulator skipped it).
 *
 * Also re-checks `exp`: API Gateway caches an Allow for ReauthorizeEvery seconds whatever the token's
 * lifetime, so without this a token would keep working up to that long after it expired.
 */
export function callerFrom(authorizer: unknown, nowSeconds: number, clockSkewSeconds: number): Caller {
  // The context functions/authorizer/policy.ts returns; API Gateway passes it on as flat strings, `exp` as
  // whole seconds in decimal digits (shared/tokens/numeric-date.ts).
  const { clientId, scope, exp } = (typeof authorizer === 'object' && authorizer !== null ? authorizer : {}) as Record<string, unknown>;
  if (typeof clientId !== 'string' || clientId === '' || typeof scope !== 'string' || typeof exp !== 'string') {
    throw new NotAuthenticated('No verified access token reached this function');
  }
  const expiresAt = readSecondsText(exp);
  if (expiresAt === undefined) throw new NotAuthenticated('No verified access token reached this function');
  if (expiresAt <= nowSeconds - clockSkewSeconds) throw new NotAuthenticated('The access token has expired');
  const scopes = scope === '' ? [] : parseScope(scope);
  if (scopes === undefined) throw new NotAuthenticated('The authorizer passed a malformed scope');
  return { clientId, scopes: new Set(scopes) };
}
