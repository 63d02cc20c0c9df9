import { describe, expect, it } from 'vitest';
import { evaluatePolicy, readPolicyDocument } from '../../local/gateway/iam-policy.js';
import { DuplicateRouteError, RouteTable } from '../../local/gateway/routes.js';

describe('route table', () => {
  const table = new RouteTable();
  table.add('/', 'GET', { functionId: 'Root' });
  table.add('/a/{id}', 'GET', { functionId: 'Param' });
  table.add('/a/{id}/b', 'POST', { functionId: 'Deep' });
  table.add('/a/fixed', 'GET', { functionId: 'Literal' });
  table.add('/a/fixed/{rest+}', 'ANY', { functionId: 'Greedy' });

  const target = (method: string, path: string) => {
    const match = table.match(method, path);
    return match.kind === 'matched' ? [match.target.functionId, match.pathParameters] : 'not-found';
  };

  it('prefers literal segments, then parameters, then greedy paths, backtracking when a branch dead-ends', () => {
    expect(target('GET', '/')).toEqual(['Root', null]);
    expect(target('GET', '/a/fixed')).toEqual(['Literal', null]);
    expect(target('GET', '/a/other')).toEqual(['Param', { id: 'other' }]);
    expect(target('POST', '/a/fixed/b')).toEqual(['Greedy', { rest: 'b' }]);
    expect(target('POST', '/a/x/b')).toEqual(['Deep', { id: 'x' }]);
    expect(target('PATCH', '/a/fixed/x/y/z')).toEqual(['Greedy', { rest: 'x/y/z' }]);
    expect(target('GET', '/a/other/')).toEqual(['Param', { id: 'other' }]);
  });

  it('matches the resource first: a resource without the method is not found', () => {
    expect(target('DELETE', '/a/fixed')).toBe('not-found');
    expect(target('GET', '/a')).toBe('not-found');
    expect(target('GET', '/a//b')).toBe('not-found');
  });

  it('refuses duplicate methods and sibling parameters with different names, as API Gateway does', () => {
    expect(() => table.add('/a/{id}', 'GET', { functionId: 'Again' })).toThrow(DuplicateRouteError);
    expect(() => table.add('/a/{name}/c', 'GET', { functionId: 'Other' })).toThrow(/conflicts with \{id\}/);
  });
});

describe('authorizer policy evaluation', () => {
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc/v1/GET/products/42';
  const policy = (statement: unknown) => readPolicyDocument({ Version: '2012-10-17', Statement: statement })!;

  it('allows on a matching Allow, with case-insensitive actions and * / ? wildcards', () => {
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'EXECUTE-API:invoke', Resource: arn }), arn)).toBe('allow');
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:*:*:abc/v1/*' }), arn)).toBe('allow');
    expect(evaluatePolicy(policy([{ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['x', '*/GET/products/4?'] }]), arn)).toBe('allow');
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*/GET/products/4' }), arn)).toBe('implicit-deny');
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: '*' }), arn)).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over an Allow', () => {
    const statements = policy([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*/products/*' },
    ]);
    expect(evaluatePolicy(statements, arn)).toBe('explicit-deny');
  });

  it('rejects documents that are not policies', () => {
    expect(readPolicyDocument(undefined)).toBeUndefined();
    expect(readPolicyDocument({ Version: '2012-10-17' })).toBeUndefined();
    expect(readPolicyDocument({ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] })).toBeUndefined();
    expect(readPolicyDocument({ Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] })).toBeUndefined();
    expect(readPolicyDocument({ Statement: [{ Effect: 'Allow', Action: '*', Resource: 7 }] })).toBeUndefined();
  });
});
