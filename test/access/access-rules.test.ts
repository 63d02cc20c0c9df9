import { describe, expect, it } from 'vitest';
import { accessRules, grants, InvalidAccessRules, readAccessRules } from '#shared/access/access-rules.js';
import { makeRouteMatcher, pathSegments } from '#shared/access/route-matcher.js';
import { RouteTable } from '../../local/gateway/routes.js';
import { allTemplateRoutes, protectedTemplateRoutes } from '../support/protected-routes.js';

describe('the access rule table (shared/access/access-rules.json)', () => {
  it('has a rule for every route the bearer authorizer guards in template.yaml', async () => {
    const missing = (await protectedTemplateRoutes()).filter((route) => !Object.hasOwn(accessRules, route));
    expect(missing, 'routes in template.yaml with no rule: they would be denied to everyone').toEqual([]);
  });

  it('names only routes that template.yaml declares behind the authorizer', async () => {
    const routes = new Set(await protectedTemplateRoutes());
    const all = new Set(await allTemplateRoutes());
    const stray = Object.keys(accessRules).filter((route) => !routes.has(route));
    expect(stray.filter((route) => all.has(route)), 'rules for routes the authorizer does not guard').toEqual([]);
    expect(stray, 'rules for routes that are not in template.yaml').toEqual([]);
  });

  it('parses into method, template path and the scopes every caller must hold', () => {
    expect(readAccessRules({ 'GET /a/{id}': 'x:read x:admin', 'ANY /b/{proxy+}': 'b' })).toEqual([
      { method: 'GET', path: '/a/{id}', requiredScopes: ['x:read', 'x:admin'] },
      { method: 'ANY', path: '/b/{proxy+}', requiredScopes: ['b'] },
    ]);
    const [rule] = readAccessRules({ 'GET /a': 'x:read x:admin' });
    expect(grants(rule!, new Set(['x:read']))).toBe(false);
    expect(grants(rule!, new Set(['x:admin', 'x:read', 'other']))).toBe(true);
  });

  it.each([
    ['a method API Gateway does not have', { 'FETCH /a': 'x' }],
    ['a lower-case method', { 'get /a': 'x' }],
    ['a path without its leading slash', { 'GET a': 'x' }],
    ['a trailing slash', { 'GET /a/': 'x' }],
    ['a request path instead of a template path', { 'GET /a?b=c': 'x' }],
    ['a greedy parameter before the end', { 'GET /{proxy+}/a': 'x' }],
    ['an empty scope', { 'GET /a': '' }],
    ['two spaces between scopes', { 'GET /a': 'x  y' }],
    ['a scope that is not a string', { 'GET /a': ['x'] as unknown as string }],
  ])('refuses %s, naming the entry', (_label, rules) => {
    expect(() => readAccessRules(rules)).toThrow(InvalidAccessRules);
    expect(() => readAccessRules(rules)).toThrow(Object.keys(rules)[0]);
  });
});

describe('route matching (shared/access/route-matcher.ts)', () => {
  const routes = ['GET /products', 'GET /products/{id}', 'GET /products/search', 'GET /products/{id}/secret', 'ANY /files/{proxy+}', 'GET /files/{name}/meta', 'GET /'];
  const rules = readAccessRules(Object.fromEntries(routes.map((route) => [route, 's'])));
  const matcher = makeRouteMatcher(rules.map((rule) => ({ rule, value: `${rule.method} ${rule.path}` })));
  const gateway = new RouteTable();
  for (const rule of rules) gateway.add(rule.path, rule.method, { functionId: `${rule.method} ${rule.path}` });

  it.each([
    '/',
    '/products',
    '/products/42',
    '/products/search',
    '/products/search/secret',
    '/products/42/secret',
    '/products/42/other',
    '/files/a',
    '/files/a/meta',
    '/files/a/b/meta',
    '/files/a/meta/x',
    '/other',
  ])('sends %s where the local gateway sends it', (path) => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const expected = gateway.match(method, path);
      expect(matcher(method, pathSegments(path)), `${method} ${path}`).toBe(expected.kind === 'matched' ? expected.target.functionId : undefined);
    }
  });
});
