/**
 * The scope each route needs, declared once. Keys are `${httpMethod} ${resource}`, where `resource` is the
 * route template (event.resource: `/products/{id}`), never the request path, so no path can dodge its rule.
 * The handler dispatches only on these keys (products-api.ts) and checks the scope before any work is
 * done; a route added here without an action, or an action without a rule, does not compile.
 */
export const routeScopes = {
  'GET /products': 'products:read',
  'GET /products/{id}': 'products:read',
  'POST /products': 'products:write',
  'DELETE /products/{id}': 'products:delete',
} as const satisfies Record<string, string>;

export type Route = keyof typeof routeScopes;

export function routeOf(httpMethod: string, resource: string): Route | undefined {
  const key = `${httpMethod} ${resource}`;
  return Object.hasOwn(routeScopes, key) ? (key as Route) : undefined;
}
