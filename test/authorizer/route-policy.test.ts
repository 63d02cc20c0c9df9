import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessRules, readAccessRules, type AccessRuleTable } from '#shared/access/access-rules.js';
import { parseScope } from '#shared/oauth/scope.js';
import { MAX_AUTHORIZER_RESULT_BYTES, authorizerAnswer } from '../../functions/authorizer/policy.js';
import { makeRoutePolicyBuilder } from '../../functions/authorizer/route-policy.js';
import { AuthorizerUnavailable } from '#shared/access-token/token-errors.js';
import { evaluatePolicy, readPolicyDocument } from '../../local/gateway/iam-policy.js';
import { RouteTable } from '../../local/gateway/routes.js';
import { protectedTemplateRoutes } from '../support/protected-routes.js';

/**
 * The policy the authorizer returns is cached per token and judged again on every route, so it must give
 * exactly the rule table's answer on every route. Checked here for every scope set against two independent
 * models: the local gateway's route matching (which route a request path reaches: literal beats {param}
 * beats {proxy+}) and its IAM evaluation (explicit Deny wins, `*` also matches `/`).
 */
const STAGE_ARN = 'arn:aws:execute-api:eu-west-1:111122223333:abc123defg/v1';

/** Values a path parameter takes in the checks: plain ones and ones that look like the table's literals. */
const PARAMETER_VALUES = ['42', 'x', 'secret', 'reviews', 'products', 'admin'];
const GREEDY_VALUES = ['a', 'a/b', 'secret', 'x/secret', 'a/b/c'];

function concretePaths(path: string): string[] {
  let paths = [''];
  for (const segment of path.split('/').slice(1)) {
    const values = /^\{\w+\+\}$/.test(segment) ? GREEDY_VALUES : /^\{\w+\}$/.test(segment) ? PARAMETER_VALUES : [segment];
    paths = paths.flatMap((prefix) => values.map((value) => `${prefix}/${value}`));
  }
  return paths.length === 1 && paths[0] === '' ? ['/'] : paths;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => all.concat(all.map((subset) => [...subset, item])), [[]]);
}

interface Case {
  method: string;
  path: string;
  route: string;
}

/** Every request the routes can receive (plus look-alikes), with the route API Gateway sends it to. */
function requestsReaching(routes: readonly string[]): Case[] {
  const table = new RouteTable();
  for (const route of routes) {
    const [method, path] = route.split(' ') as [string, string];
    table.add(path, method, { functionId: route });
  }
  const candidates = routes.flatMap((route) => concretePaths(route.split(' ')[1]!));
  const lookAlikes = candidates.flatMap((path) => [`${path}/secret`, `${path}x`, `${path}/x/y`]);
  const cases: Case[] = [];
  for (const path of new Set([...candidates, ...lookAlikes])) {
    for (const method of METHODS) {
      const match = table.match(method, path);
      if (match.kind === 'matched') cases.push({ method, path, route: match.target.functionId });
    }
  }
  return cases;
}

function checkEveryDecision(rules: AccessRuleTable, templateRoutes: readonly string[]): number {
  const policyFor = makeRoutePolicyBuilder(readAccessRules(rules));
  const scopes = [...new Set(Object.values(rules).flatMap((scope) => parseScope(scope) ?? []))];
  const requests = requestsReaching(templateRoutes);
  let checked = 0;
  for (const granted of subsets([...scopes, 'unrelated:scope'])) {
    const statements = readPolicyDocument(policyFor(STAGE_ARN, granted.join(' ')))!;
    expect(statements).toBeDefined();
    for (const { method, path, route } of requests) {
      const rule = rules[route];
      const expected = rule !== undefined && parseScope(rule)!.every((scope) => granted.includes(scope));
      const decision = evaluatePolicy(statements, `${STAGE_ARN}/${method}${path}`);
      expect(decision === 'allow', `${method} ${path} (route ${route}) with scopes "${granted.join(' ')}"`).toBe(expected);
      checked++;
    }
  }
  return checked;
}

describe('per-token policies from the access rules', () => {
  it("gives the table's answer on every route of the template for every scope set", async () => {
    expect(checkEveryDecision(accessRules, await protectedTemplateRoutes())).toBeGreaterThan(100);
  });

  it('denies nested routes a parent wildcard would cover, with explicit Deny statements', () => {
    const rules = {
      'GET /products': 'products:read',
      'GET /products/{id}': 'products:read',
      'GET /products/{id}/secret': 'products:secret',
      'GET /products/{id}/reviews': 'reviews:read',
      'DELETE /products/{id}': 'products:delete',
      'GET /products-admin': 'admin',
      'ANY /admin/{proxy+}': 'admin',
      'GET /admin/status': 'status:read',
    };
    expect(checkEveryDecision(rules, Object.keys(rules))).toBeGreaterThan(1000);

    const policy = makeRoutePolicyBuilder(readAccessRules(rules))(STAGE_ARN, 'products:read');
    expect(policy.Statement).toContainEqual({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      Resource: [`${STAGE_ARN}/GET/products/*/secret`, `${STAGE_ARN}/GET/products/*/reviews`],
    });
  });

  it('denies to everyone a template route that has no rule', () => {
    const rules = { 'GET /products': 'products:read', 'POST /products': 'products:write' };
    const templateRoutes = [...Object.keys(rules), 'DELETE /products/{id}', 'GET /reports'];
    expect(checkEveryDecision(rules, templateRoutes)).toBeGreaterThan(10);
  });

  it('answers a token whose scopes open no route with one explicit Deny of the whole stage', () => {
    const policy = makeRoutePolicyBuilder(readAccessRules(accessRules))(STAGE_ARN, 'unrelated:scope');
    expect(policy.Statement).toEqual([{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${STAGE_ARN}/*` }]);
  });

  it('builds each scope set’s policy once and hands the same document back afterwards', () => {
    const policyFor = makeRoutePolicyBuilder(readAccessRules(accessRules));
    const first = policyFor(STAGE_ARN, 'products:read');
    expect(policyFor(STAGE_ARN, 'products:read')).toBe(first);
    expect(policyFor(STAGE_ARN, 'products:read products:write')).not.toBe(first);
    expect(policyFor(`${STAGE_ARN}2`, 'products:read')).not.toBe(first);
  });

  it('refuses to decide (503, never a wrong Allow) when no IAM pattern can tell a permitted route from a refused one', () => {
    // GET /files/a/secret reaches {name}/secret, GET /files/a/b/secret the greedy route: `GET/files/*/secret`
    // matches both, so the refused route cannot be denied without denying the permitted one.
    const conflicting = { 'GET /files/{proxy+}': 'files:read', 'GET /files/{name}/secret': 'files:secret' };
    const policyFor = makeRoutePolicyBuilder(readAccessRules(conflicting));
    expect(() => policyFor(STAGE_ARN, 'files:read')).toThrow(AuthorizerUnavailable);
    // Holding both scopes needs no Deny, so that set still gets its policy.
    expect(policyFor(STAGE_ARN, 'files:read files:secret').Statement).toHaveLength(1);
  });

  it(`keeps the largest answer for the real table under ${MAX_AUTHORIZER_RESULT_BYTES} bytes, and refuses a larger one`, () => {
    const policyFor = makeRoutePolicyBuilder(readAccessRules(accessRules));
    const allScopes = [...new Set(Object.values(accessRules))].join(' ');
    const token = { clientId: 'c'.repeat(32), subject: 'c'.repeat(32), issuer: 'https://issuer.example', audience: 'urn:a', scope: allScopes, jti: 'j'.repeat(36), issuedAt: 1, expiresAt: 2 };
    expect(Buffer.byteLength(JSON.stringify(authorizerAnswer(policyFor(STAGE_ARN, allScopes), token)))).toBeLessThan(MAX_AUTHORIZER_RESULT_BYTES);

    const manyRoutes = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`GET /reports/section-${i}/{id}`, 'reports:read']));
    const big = makeRoutePolicyBuilder(readAccessRules(manyRoutes))(STAGE_ARN, 'reports:read');
    expect(() => authorizerAnswer(big, { ...token, scope: 'reports:read' })).toThrow(AuthorizerUnavailable);
  });
});

describe('the authorizer answer size', () => {
  it('is measured exactly as JSON.stringify would write it, escapes and non-ASCII included', async () => {
    const { authorizerAnswerBytes } = await import('../../functions/authorizer/policy.js');
    const policyFor = makeRoutePolicyBuilder(readAccessRules(accessRules));
    const policy = policyFor('arn:aws:execute-api:eu-west-1:111122223333:abc123defg/v1', 'products:read');
    for (const clientId of ['plain-client', 'quo"te', 'back\\slash', 'ünïcode', 'tab\there']) {
      const token = { clientId, subject: clientId, issuer: 'https://i.example', audience: 'urn:a', scope: 'products:read', jti: `j-${clientId}`, issuedAt: 1, expiresAt: 1e21 };
      const answer = authorizerAnswer(policy, token);
      expect(authorizerAnswerBytes(answer), clientId).toBe(Buffer.byteLength(JSON.stringify(answer)));
    }
  });

  it('is never above its quick bound, whatever the strings hold', async () => {
    const { answerBytesAtMost, authorizerAnswerBytes } = await import('../../functions/authorizer/policy.js');
    const policy = makeRoutePolicyBuilder(readAccessRules(accessRules))(STAGE_ARN, 'products:read');
    const policySize = Buffer.byteLength(JSON.stringify(policy));
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(text, text, fc.dictionary(fc.string({ maxLength: 12 }), text, { maxKeys: 4 }), (clientId, jti, claims) => {
        const context = { ...Object.fromEntries(Object.entries(claims).map(([k, v]) => [`claim_${k}`, v])), clientId, scope: 'products:read', jti, exp: '2' };
        const answer = { principalId: clientId, policyDocument: policy, context };
        return authorizerAnswerBytes(answer, policySize) <= answerBytesAtMost(answer, policySize);
      }),
    );
  });

  it('measures exactly when the bound is over the limit: long plain claims pass, escaped ones that overflow do not', () => {
    const policy = makeRoutePolicyBuilder(readAccessRules(accessRules))(STAGE_ARN, 'products:read');
    const token = { clientId: 'c', subject: 'c', issuer: 'https://i.example', audience: 'urn:a', scope: 'products:read', jti: 'j', issuedAt: 1, expiresAt: 2 };
    // 2,000 plain characters: bound 12,000 bytes, written about 2,600 with the policy.
    expect(authorizerAnswer(policy, { ...token, clientClaims: { tenant: 't'.repeat(2000) } }).context.claim_tenant).toHaveLength(2000);
    // 1,400 control characters: written 6 bytes each, over the limit.
    expect(() => authorizerAnswer(policy, { ...token, clientClaims: { tenant: '\u0001'.repeat(1400) } })).toThrow(AuthorizerUnavailable);
  });
});
