import { accessRules, type RuleRoute } from '#shared/access/access-rules.js';
import { parseScope } from '#shared/oauth/scope.js';

/**
 * The routes this function serves, each with the scope(s) the shared access rules require
 * (shared/access/access-rules.json, the table the authorizer enforces at the gateway). The check here is
 * defence in depth: it holds even when the function is reached without the gateway's policy (a route
 * deployed without the authorizer, `sam local invoke`). Keys are `${httpMethod} ${resource}`, where
 * `resource` is the route template (event.resource: `/products/{id}`), never the request path, so no path can
 * dodge its rule. A route listed here without a rule in the table, or without an action, does not compile.
 */
const PRODUCT_ROUTES = ['GET /products', 'GET /products/{id}', 'POST /products', 'DELETE /products/{id}'] as const satisfies readonly RuleRoute[];

export type Route = (typeof PRODUCT_ROUTES)[number];

/** The table's scope string for each route (RFC 6749 §3.3 syntax; every scope listed is required). */
export const routeScopes: Readonly<Record<Route, string>> = Object.fromEntries(PRODUCT_ROUTES.map((route) => [route, accessRules[route]])) as Record<Route, string>;

const requiredScopes = new Map<string, readonly string[]>(PRODUCT_ROUTES.map((route) => [route, parseScope(accessRules[route]) ?? []]));

export function routeOf(httpMethod: string, resource: string): Route | undefined {
  const key = `${httpMethod} ${resource}`;
  return requiredScopes.has(key) ? (key as Route) : undefined;
}

/** True when the caller holds every scope the route requires. */
export function mayCall(route: Route, scopes: ReadonlySet<string>): boolean {
  const required = requiredScopes.get(route)!;
  return required.length > 0 && required.every((scope) => scopes.has(scope));
}
