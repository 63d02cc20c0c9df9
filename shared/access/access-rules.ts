import { parseScope } from '../oauth/scope.js';
import table from './access-rules.json' with { type: 'json' };

/**
 * What each route behind the bearer authorizer requires, declared once as data (access-rules.json) and read
 * by the authorizer, which enforces it at the gateway, and by backends as defence in depth.
 *
 * Keys are `METHOD /path` with the path exactly as the template declares it (`/products/{id}`); values are a
 * scope string in RFC 6749 §3.3 syntax, and a token must hold every scope it lists. A route with no rule is
 * denied to everyone.
 */
export type AccessRuleTable = Readonly<Record<string, string>>;

export const accessRules = table satisfies AccessRuleTable;

export type RuleRoute = keyof typeof accessRules;

export interface AccessRule {
  /** Upper-case HTTP method, or ANY. */
  method: string;
  /** Template path: literal segments, `{param}` and a trailing greedy `{proxy+}`. */
  path: string;
  /** Every one of these must be granted (RFC 6750 §3.1: the scope "necessary to access the resource"). */
  requiredScopes: readonly string[];
}

export class InvalidAccessRules extends Error {
  override readonly name = 'InvalidAccessRules';
}

const ROUTE_KEY = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|ANY) (\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]+|\{[A-Za-z0-9_]+\+?\})?(?:\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]+|\{[A-Za-z0-9_]+\+?\}))*)$/;

/** Parses and checks a table; throws InvalidAccessRules naming the first bad entry. */
export function readAccessRules(rules: AccessRuleTable): AccessRule[] {
  return Object.entries(rules).map(([route, scope]) => {
    const key = ROUTE_KEY.exec(route);
    if (!key) throw new InvalidAccessRules(`"${route}" is not "METHOD /path" with a path as the template writes it`);
    const path = key[2]!;
    if (/\{[A-Za-z0-9_]+\+\}./.test(path)) throw new InvalidAccessRules(`"${route}": a greedy {name+} must be the last segment`);
    const requiredScopes = typeof scope === 'string' ? parseScope(scope) : undefined;
    if (requiredScopes === undefined) throw new InvalidAccessRules(`"${route}": "${String(scope)}" is not a scope string (RFC 6749 §3.3)`);
    return { method: key[1]!, path, requiredScopes };
  });
}

/** True when `granted` holds every scope the rule requires. */
export function grants(rule: Pick<AccessRule, 'requiredScopes'>, granted: ReadonlySet<string>): boolean {
  return rule.requiredScopes.every((scope) => granted.has(scope));
}
