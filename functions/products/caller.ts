import * as z from 'zod/mini';
import { parseScope } from '#shared/oauth/scope.js';
import { readSecondsText } from '#shared/tokens/numeric-date.js';
import { NotAuthenticated } from './errors.js';

/** Who is calling, as the authorizer established it. */
export interface Caller {
  clientId: string;
  scopes: ReadonlySet<string>;
}

/** The context functions/authorizer/policy.ts returns; API Gateway passes it on as flat strings. */
const authorizerContext = z.object({
  clientId: z.string().check(z.minLength(1)),
  scope: z.string(),
  // Whole seconds as decimal digits (shared/tokens/numeric-date.ts), as functions/authorizer/policy.ts writes them.
  exp: z.string(),
});

/**
 * Reads the caller from event.requestContext.authorizer, the only source trusted here: the Authorization
 * header is never re-read. Fails closed when the context is absent or malformed (the route was deployed
 * without the authorizer, or an emulator skipped it).
 *
 * Also re-checks `exp`: API Gateway caches an Allow for ReauthorizeEvery seconds whatever the token's
 * lifetime, so without this a token would keep working up to that long after it expired.
 */
export function callerFrom(authorizer: unknown, nowSeconds: number, clockSkewSeconds: number): Caller {
  const context = authorizerContext.safeParse(authorizer);
  if (!context.success) throw new NotAuthenticated('No verified access token reached this function');
  const { clientId, scope, exp } = context.data;
  const expiresAt = readSecondsText(exp);
  if (expiresAt === undefined) throw new NotAuthenticated('No verified access token reached this function');
  if (expiresAt <= nowSeconds - clockSkewSeconds) throw new NotAuthenticated('The access token has expired');
  const scopes = scope === '' ? [] : parseScope(scope);
  if (scopes === undefined) throw new NotAuthenticated('The authorizer passed a malformed scope');
  return { clientId, scopes: new Set(scopes) };
}
