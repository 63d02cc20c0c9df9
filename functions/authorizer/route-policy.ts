import type { PolicyDocument, Statement } from 'aws-lambda';
import { grants, type AccessRule } from '#shared/access/access-rules.js';
import { makeRouteMatcher, pathSegments } from '#shared/access/route-matcher.js';
import { AuthorizerUnavailable } from '#shared/access-token/token-errors.js';

/**
 * The IAM policy for one scope set, covering every route at once. API Gateway caches the authorizer's answer
 * per token (ReauthorizeEvery) and judges that cached policy again on each route the token is used for, so
 * the policy must be right for every route, not only for the one that triggered the authorization.
 *
 * Route paths become resource patterns by turning each `{param}` into `*`. In IAM `*` also matches `/`
 * ("Statement reference of IAM policies for executing API in API Gateway"), so `GET/products/*` would also
 * cover a nested `GET/products/{id}/secret` that needs another scope; a refused route that a permitted
 * pattern covers therefore gets an explicit Deny, which wins over any Allow (IAM policy evaluation logic).
 *
 * Every policy is checked before use against a set of witness requests that stands for all requests: each
 * route's path with its parameters set to every literal segment of the table and to one value that is none
 * of them (a segment that equals no literal is routed and matched exactly like any other such segment).
 * If a witness would get another answer than its route's rule, the rules cannot be written as IAM patterns
 * and the authorizer refuses to decide rather than allow or deny wrongly.
 */
export type RoutePolicyBuilder = (stageArn: string, scope: string) => PolicyDocument;

const ACTION = 'execute-api:Invoke';

/** ANY on a resource serves every method the resource does not declare on its own (API Gateway's ANY method). */
const HTTP_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

/**
 * Distinct scope sets are few (each client has a fixed set), so each one's policy is built once per
 * container and remembered; the bound only stops hostile variety (the same scopes in every order) from
 * growing the map without limit.
 */
const MAX_REMEMBERED = 512;

/** Stops a table with many parameters from making the witness set explode; beyond it, decisions are refused. */
const MAX_WITNESSES = 50_000;

/** A segment value that equals no literal of any table (not a valid literal: it holds a space). */
const OTHER_VALUE = 'x y';

interface ConcreteRoute {
  rule: AccessRule;
  /** `GET/products/*`: the part of the resource ARN after the stage. */
  pattern: string;
  matches: (request: string) => boolean;
}

interface Witness {
  /** `GET/products/42` */
  request: string;
  route: ConcreteRoute;
}

export function makeRoutePolicyBuilder(rules: readonly AccessRule[]): RoutePolicyBuilder {
  const routes = concreteRoutes(rules);
  const witnesses = witnessesOf(routes);
  // Per stage, then per scope string: two lookups of strings the request already holds, no key built per call.
  const remembered = new Map<string, Map<string, PolicyDocument>>();
  let count = 0;
  return (stageArn, scope) => {
    let forStage = remembered.get(stageArn);
    let policy = forStage?.get(scope);
    if (policy === undefined) {
      policy = buildPolicy(routes, witnesses, stageArn, new Set(scope === '' ? [] : scope.split(' ')));
      if (count >= MAX_REMEMBERED) {
        remembered.clear();
        count = 0;
        forStage = undefined;
      }
      if (forStage === undefined) remembered.set(stageArn, (forStage = new Map()));
      forStage.set(scope, policy);
      count++;
    }
    return policy;
  };
}

function buildPolicy(routes: readonly ConcreteRoute[], witnesses: readonly Witness[] | Error, stageArn: string, granted: ReadonlySet<string>): PolicyDocument {
  if (witnesses instanceof Error) throw witnesses;
  const permitted = new Set(routes.filter((route) => grants(route.rule, granted)));
  const allows = routes.filter((route) => permitted.has(route));
  const covered = (request: string) => allows.some((route) => route.matches(request));
  const denies = routes.filter((route) => !permitted.has(route) && witnesses.some((w) => w.route === route && covered(w.request)));

  for (const { request, route } of witnesses) {
    const allowed = covered(request) && !denies.some((deny) => deny.matches(request));
    if (allowed !== permitted.has(route)) {
      throw new AuthorizerUnavailable(`The access rules cannot be written as an IAM policy: ${request} would be ${allowed ? 'allowed' : 'denied'} against the rule of ${route.pattern}`);
    }
  }

  const resources = (list: readonly ConcreteRoute[]) => [...new Set(list.map((route) => `${stageArn}/${route.pattern}`))];
  const statements: Statement[] = [];
  if (allows.length > 0) statements.push({ Effect: 'Allow', Action: ACTION, Resource: resources(allows) });
  if (denies.length > 0) statements.push({ Effect: 'Deny', Action: ACTION, Resource: resources(denies) });
  // A policy needs at least one statement; a token that opens no route is denied everywhere, explicitly.
  if (statements.length === 0) statements.push({ Effect: 'Deny', Action: ACTION, Resource: `${stageArn}/*` });
  return { Version: '2012-10-17', Statement: statements };
}

function concreteRoutes(rules: readonly AccessRule[]): ConcreteRoute[] {
  const declared = new Set(rules.filter((rule) => rule.method !== 'ANY').map((rule) => `${rule.method} ${rule.path}`));
  return rules.flatMap((rule) => {
    const methods = rule.method === 'ANY' ? HTTP_METHODS.filter((method) => !declared.has(`${method} ${rule.path}`)) : [rule.method];
    const resource = rule.path.replace(/\{\w+\+?\}/g, '*');
    return methods.map((method) => {
      const pattern = `${method}${resource}`;
      return { rule: { ...rule, method }, pattern, matches: iamPattern(pattern) };
    });
  });
}

/** The witness requests of every route, each with the route API Gateway sends it to. */
function witnessesOf(routes: readonly ConcreteRoute[]): Witness[] | Error {
  const literals = new Set(routes.flatMap((route) => pathSegments(route.rule.path).filter((segment) => !segment.startsWith('{'))));
  const values = [...literals, OTHER_VALUE];
  // A greedy parameter can swallow as many segments as the deepest pattern has, so that is how long its values go.
  const greedyLength = Math.max(1, ...routes.map((route) => pathSegments(route.rule.path).length));
  const routeOf = makeRouteMatcher(routes.map((route) => ({ rule: route.rule, value: route })));
  const witnesses: Witness[] = [];
  for (const route of routes) {
    let paths: string[][] = [[]];
    for (const segment of pathSegments(route.rule.path)) {
      const options = /^\{\w+\+\}$/.test(segment)
        ? sequences(values, greedyLength)
        : /^\{\w+\}$/.test(segment)
          ? values.map((value) => [value])
          : [[segment]];
      paths = paths.flatMap((prefix) => options.map((option) => [...prefix, ...option]));
      if (witnesses.length + paths.length > MAX_WITNESSES) return new AuthorizerUnavailable(`The access rules have too many parameterised routes to check (over ${MAX_WITNESSES} witness requests)`);
    }
    for (const segments of paths) {
      const target = routeOf(route.rule.method, segments);
      if (target) witnesses.push({ request: `${route.rule.method}/${segments.join('/')}`, route: target });
    }
  }
  return witnesses;
}

/** Every sequence of 1 to `length` values. */
function sequences(values: readonly string[], length: number): string[][] {
  const all: string[][] = [];
  let level: string[][] = [[]];
  for (let n = 1; n <= length && all.length <= MAX_WITNESSES; n++) {
    level = level.flatMap((prefix) => values.map((value) => [...prefix, value]));
    all.push(...level);
  }
  return all;
}

/** IAM resource matching: `*` any run of characters (including `/`), `?` any one character, case-sensitive. */
function iamPattern(pattern: string): (value: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  const regex = new RegExp(`^${source}$`, 's');
  return (value) => regex.test(value);
}
