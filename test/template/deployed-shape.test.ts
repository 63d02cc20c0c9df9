// What CloudFormation receives once the SAM translator has run over template.yaml: the roles, the stage and
// the API definition AWS will actually create. Each describe block covers one concern of the deployed stack.
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedResources, resourcesOfType, samTransform, type Resource, type TransformedTemplate } from '../support/sam-transform.js';

let template: TransformedTemplate;
beforeAll(() => {
  template = samTransform();
});

const FUNCTIONS = ['TokenFunction', 'AuthorizerFunction', 'ProductsFunction', 'DiscoveryFunction', 'RevocationFunction', 'IntrospectionFunction'] as const;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

/** The inline statements of a function's execution role, actions and resources as sorted lists. */
function roleStatements(resources: Record<string, Resource>, functionId: string): { actions: string[]; resources: string[] }[] {
  const role = roleOf(resources, functionId);
  const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) =>
    policy.PolicyDocument.Statement.map((statement) => {
      expect(statement.Effect).toBe('Allow');
      return { actions: [statement.Action].flat().sort(), resources: [statement.Resource].flat().sort() };
    }),
  );
}

function roleOf(resources: Record<string, Resource>, functionId: string): Resource {
  const fn = resources[functionId];
  expect(fn?.Type).toBe('AWS::Lambda::Function');
  const roleArn = fn!.Properties?.Role as string;
  const role = resources[roleArn.replace(/\.Arn$/, '')];
  expect(role?.Type).toBe('AWS::IAM::Role');
  return role!;
}

/** Every method of the generated OpenAPI body: path, verb and the security requirement SAM put on it. */
function apiMethods(): { path: string; method: string; security: string[] }[] {
  const body = template.Resources.Api!.Properties!.Body as { paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>> };
  return Object.entries(body.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      path,
      method,
      security: (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)),
    })),
  );
}

describe('execution roles (least privilege, per function)', () => {
  it('gives each function exactly the data-plane actions its code calls, on its own resources', () => {
    const resources = deployedResources(template);
    expect(roleStatements(resources, 'TokenFunction')).toEqual([
      { actions: ['dynamodb:GetItem'], resources: ['ClientsTable.Arn'] },
      { actions: ['dynamodb:PutItem'], resources: ['ClientAssertionsTable.Arn'] },
      { actions: ['kms:GetPublicKey', 'kms:Sign'], resources: ['SigningKeyA.Arn'] },
    ]);
    expect(roleStatements(resources, 'AuthorizerFunction')).toEqual([
      { actions: ['dynamodb:BatchGetItem'], resources: ['RevocationsTable.Arn'] },
      { actions: ['kms:GetPublicKey'], resources: ['SigningKeyA.Arn'] },
    ]);
    // Revocation writes revocations and only reads clients; introspection only reads; the token function
    // still only reads.
    expect(roleStatements(resources, 'RevocationFunction')).toEqual([
      { actions: ['dynamodb:GetItem'], resources: ['ClientsTable.Arn'] },
      { actions: ['dynamodb:PutItem'], resources: ['RevocationsTable.Arn'] },
      { actions: ['dynamodb:PutItem'], resources: ['ClientAssertionsTable.Arn'] },
      { actions: ['kms:GetPublicKey'], resources: ['SigningKeyA.Arn'] },
    ]);
    expect(roleStatements(resources, 'IntrospectionFunction')).toEqual([
      { actions: ['dynamodb:GetItem'], resources: ['ClientsTable.Arn'] },
      { actions: ['dynamodb:BatchGetItem'], resources: ['RevocationsTable.Arn'] },
      { actions: ['dynamodb:PutItem'], resources: ['ClientAssertionsTable.Arn'] },
      { actions: ['kms:GetPublicKey'], resources: ['SigningKeyA.Arn'] },
    ]);
    expect(roleStatements(resources, 'DiscoveryFunction')).toEqual([
      { actions: ['kms:GetPublicKey'], resources: ['SigningKeyA.Arn'] },
    ]);
    expect(roleStatements(resources, 'ProductsFunction')).toEqual([
      {
        actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
        resources: ['ProductsTable.Arn'],
      },
    ]);
  });

  it('lets the token function sign with every present slot, so a rotation never waits on IAM propagation', () => {
    // The update that makes a slot active changes SIGNING_KEY_ID and could change the role in the same
    // deployment; IAM is eventually consistent, so a role granting only the new key would refuse kms:Sign
    // (503) for a while. Allowing every present slot makes the permission exist a deployment earlier.
    for (const [slots, keys] of [
      [{ KeyAState: 'active', KeyBState: 'absent' }, ['SigningKeyA.Arn']],
      [{ KeyAState: 'active', KeyBState: 'previous' }, ['SigningKeyA.Arn', 'SigningKeyB.Arn']],
      [{ KeyAState: 'previous', KeyBState: 'active' }, ['SigningKeyA.Arn', 'SigningKeyB.Arn']],
      [{ KeyAState: 'absent', KeyBState: 'active' }, ['SigningKeyB.Arn']],
    ] as const) {
      const resources = deployedResources(template, slots);
      expect({ slots, statements: roleStatements(resources, 'TokenFunction') }).toEqual({
        slots,
        statements: [
          { actions: ['dynamodb:GetItem'], resources: ['ClientsTable.Arn'] },
          { actions: ['dynamodb:PutItem'], resources: ['ClientAssertionsTable.Arn'] },
          { actions: ['kms:GetPublicKey', 'kms:Sign'], resources: keys },
        ],
      });
    }
  });

  it('lets the verifying functions read the public key of every present slot during a rotation', () => {
    const resources = deployedResources(template, { KeyAState: 'previous', KeyBState: 'active' });
    for (const fn of ['AuthorizerFunction', 'DiscoveryFunction', 'RevocationFunction', 'IntrospectionFunction']) {
      expect(roleStatements(resources, fn)).toContainEqual({ actions: ['kms:GetPublicKey'], resources: ['SigningKeyA.Arn', 'SigningKeyB.Arn'] });
      expect(roleStatements(resources, fn).filter(({ actions }) => actions.some((action) => action.startsWith('kms:')))).toHaveLength(1);
    }
  });

  it('attaches no managed policy beyond the basic execution role (CloudWatch Logs)', () => {
    const resources = deployedResources(template);
    for (const fn of FUNCTIONS) {
      expect(roleOf(resources, fn).Properties?.ManagedPolicyArns).toEqual([
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ]);
    }
  });

  it('creates one role per function, the API Gateway logging role, and no other IAM principal', () => {
    const roles = Object.keys(resourcesOfType(template.Resources, 'AWS::IAM::Role')).sort();
    expect(roles).toEqual([...FUNCTIONS.map((fn) => `${fn}Role`), 'ApiGatewayCloudWatchRole'].sort());
    expect(Object.keys(resourcesOfType(template.Resources, 'AWS::IAM::User'))).toEqual([]);
    expect(Object.keys(resourcesOfType(template.Resources, 'AWS::IAM::Policy'))).toEqual([]);
  });
});

describe('the client-assertion replay table', () => {
  it('keys used assertion ids by client and jti, expires them by TTL, and only the endpoints that authenticate clients may write them', () => {
    const resources = deployedResources(template);
    const table = resources.ClientAssertionsTable!;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'clientId', KeyType: 'HASH' },
        { AttributeName: 'jti', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    const token = resources.TokenFunction!.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(token.Environment.Variables).toMatchObject({
      CLIENT_ASSERTIONS_TABLE: 'ClientAssertionsTable',
      CLOCK_SKEW_SECONDS: '30',
    });
    const writers = FUNCTIONS.filter((fn) =>
      roleStatements(resources, fn).some((statement) => statement.resources.includes('ClientAssertionsTable.Arn')),
    );
    expect(writers).toEqual(['TokenFunction', 'RevocationFunction', 'IntrospectionFunction']);
  });
});

describe('gateway responses (RFC 6750 challenges and the cannot-decide 503, as API Gateway is given them)', () => {
  type GatewayResponse = { statusCode: string; responseParameters: Record<string, string>; responseTemplates: Record<string, string> };
  const responses = () =>
    (template.Resources.Api!.Properties!.Body as Record<string, Record<string, GatewayResponse>>)['x-amazon-apigateway-gateway-responses']!;

  it('answers a missing scope with 403, a real insufficient_scope challenge and an RFC 6750 body naming the client', () => {
    const denied = responses().ACCESS_DENIED!;
    expect(denied.statusCode).toBe('403');
    expect(denied.responseParameters['gatewayresponse.header.WWW-Authenticate']).toMatch(/^'Bearer error="insufficient_scope"/);
    expect(JSON.parse(denied.responseTemplates['application/json']!.replace('$context.authorizer.clientId', 'c').replace('$context.requestId', 'r'))).toMatchObject({
      error: 'insufficient_scope',
      client_id: 'c',
    });
  });

  it('turns both authorizer-error types into 503 with Retry-After and temporarily_unavailable, never 401 or 500', () => {
    for (const type of ['AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE']) {
      const response = responses()[type]!;
      expect({ type, status: response.statusCode, retryAfter: response.responseParameters['gatewayresponse.header.Retry-After'] }).toEqual({ type, status: '503', retryAfter: "'5'" });
      expect(response.responseTemplates['application/json']).toContain('"error":"temporarily_unavailable"');
    }
    expect(responses().UNAUTHORIZED!.responseParameters['gatewayresponse.header.WWW-Authenticate']).toBe('\'Bearer error="invalid_token"\'');
  });

  it('keeps revocation records only while they matter: TTL on expiresAt, point-in-time recovery', () => {
    expect(template.Resources.RevocationsTable!.Properties).toMatchObject({
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe('stage and throttling', () => {
  it('creates exactly one stage, named by StageName (no implicit "Stage" stage)', () => {
    const stages = resourcesOfType(deployedResources(template, { StageName: 'v7' }), 'AWS::ApiGateway::Stage');
    expect(Object.values(stages).map((stage) => stage.Properties?.StageName)).toEqual(['v7']);
  });

  it('throttles POST /oauth2/token in the stage MethodSettings with the template parameters', () => {
    const resources = deployedResources(template, { TokenRateLimit: '7', TokenBurstLimit: '11' });
    const [stage] = Object.values(resourcesOfType(resources, 'AWS::ApiGateway::Stage'));
    expect(stage!.Properties?.MethodSettings).toEqual([
      { ResourcePath: '/~1oauth2~1token', HttpMethod: 'POST', ThrottlingRateLimit: '7', ThrottlingBurstLimit: '11' },
      { ResourcePath: '/~1oauth2~1revoke', HttpMethod: 'POST', ThrottlingRateLimit: '7', ThrottlingBurstLimit: '11' },
      { ResourcePath: '/~1oauth2~1introspect', HttpMethod: 'POST', ThrottlingRateLimit: '7', ThrottlingBurstLimit: '11' },
    ]);
  });
});

describe('authorizer wiring', () => {
  const PUBLIC = [
    '/oauth2/token',
    '/oauth2/revoke',
    '/oauth2/introspect',
    '/.well-known/jwks.json',
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration',
  ];

  it('puts the bearer-token authorizer on every route except the authorization server\u2019s own endpoints', () => {
    const methods = apiMethods();
    expect(methods.map((m) => `${m.method.toUpperCase()} ${m.path}`).sort()).toEqual([
      'DELETE /products/{id}',
      'GET /.well-known/jwks.json',
      'GET /.well-known/oauth-authorization-server',
      'GET /.well-known/openid-configuration',
      'GET /products',
      'GET /products/{id}',
      'POST /oauth2/introspect',
      'POST /oauth2/revoke',
      'POST /oauth2/token',
      'POST /products',
    ]);
    for (const method of methods) {
      expect({ route: `${method.method} ${method.path}`, security: method.security }).toEqual({
        route: `${method.method} ${method.path}`,
        security: PUBLIC.includes(method.path) ? ['NONE'] : ['BearerTokenAuthorizer'],
      });
    }
  });

  it('defines the authorizer as a TOKEN authorizer on the Authorization header, cached for the configured TTL', () => {
    const body = template.Resources.Api!.Properties!.Body as { securityDefinitions: Record<string, Record<string, unknown>> };
    const definition = body.securityDefinitions.BearerTokenAuthorizer!;
    expect(definition).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'custom' });
    expect(definition['x-amazon-apigateway-authorizer']).toMatchObject({ type: 'token', authorizerResultTtlInSeconds: 300 });
    expect(JSON.stringify(definition['x-amazon-apigateway-authorizer'])).toContain('"AuthorizerFunction","Arn"');
  });
});

describe('log groups', () => {
  it('sends each function to its own log group, created by the stack before the function', () => {
    const resources = deployedResources(template, { LogRetentionDays: '14' });
    const groups = resourcesOfType(resources, 'AWS::Logs::LogGroup');
    expect(Object.keys(groups).sort()).toEqual([...FUNCTIONS.map((fn) => `${fn}LogGroup`), 'ApiAccessLogGroup'].sort());
    for (const fn of FUNCTIONS) {
      // A Ref makes CloudFormation create the group first, so Lambda never creates it on its own.
      expect(resources[fn]!.Properties?.LoggingConfig).toEqual({ LogGroup: `${fn}LogGroup` });
      expect(groups[`${fn}LogGroup`]!.Properties?.RetentionInDays).toBe('14');
    }
  });

  it('names no group /aws/lambda/<function>, the group Lambda creates by itself on a first invocation', () => {
    // Lambda's default group is /aws/lambda/<function name> (Lambda API reference, LoggingConfig.LogGroup); a
    // stack resource of that name races the function's first invocation and fails with "already exists".
    for (const [id, group] of Object.entries(resourcesOfType(template.Resources, 'AWS::Logs::LogGroup'))) {
      const name = JSON.stringify(group.Properties?.LogGroupName ?? '');
      expect({ id, name }).not.toEqual({ id, name: expect.stringContaining('/aws/lambda/') });
      for (const fn of FUNCTIONS) expect({ id, name }).not.toEqual({ id, name: expect.stringContaining(fn) });
    }
  });

  it('keeps the plain-text log format, in which Powertools lines arrive as the JSON the function wrote', () => {
    for (const fn of FUNCTIONS) {
      const format = (template.Resources[fn]!.Properties?.LoggingConfig as { LogFormat?: string } | undefined)?.LogFormat;
      expect({ fn, format: format ?? 'Text' }).toEqual({ fn, format: 'Text' });
    }
  });
});

describe('source-mapped stack traces (SourceMapStackTraces)', () => {
  it('gives every function a NODE_OPTIONS that names --enable-source-maps either way, and turns it off by default', async () => {
    const { execFileSync } = await import('node:child_process');
    const sourceMapsEnabled = (nodeOptions: string) =>
      execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.sourceMapsEnabled))'], { env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: nodeOptions } }).toString();
    for (const fn of FUNCTIONS) {
      const variables = (template.Resources[fn]!.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      const [condition, enabled, disabled] = (variables.NODE_OPTIONS as { 'Fn::If': [string, string, string] })['Fn::If'];
      expect({ fn, condition }).toEqual({ fn, condition: 'SourceMapStackTracesEnabled' });
      // sam build appends --enable-source-maps to a NODE_OPTIONS without it (Sourcemap: true); both branches have it.
      for (const value of [enabled, disabled]) expect(value.split(' ')).toContain('--enable-source-maps');
      expect([sourceMapsEnabled(enabled), sourceMapsEnabled(disabled)]).toEqual(['true', 'false']);
    }
    expect(template.Conditions?.SourceMapStackTracesEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'SourceMapStackTraces' }, 'Enabled'] });
  });
});
