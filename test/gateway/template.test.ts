import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AbsentResourceError,
  buildStack,
  describeKmsKeys,
  describeTables,
  InvalidParameterValueError,
  loadTemplate,
  MissingResourceValueError,
  parseTemplate,
  readTemplate,
  resolveTemplate,
  RuleAssertionError,
  UnknownReferenceError,
  UnsupportedFeatureError,
} from '../../local/template/index.js';
import { FIXTURE_INPUTS, FIXTURE_KEY, FIXTURE_TEMPLATE } from './support.js';

const fixturesDir = path.dirname(FIXTURE_TEMPLATE);
const projectTemplate = fileURLToPath(new URL('../../template.yaml', import.meta.url));

function inline(yaml: string) {
  return parseTemplate(yaml, path.join(fixturesDir, 'inline.yaml'));
}

describe('template resolution', () => {
  it('resolves parameters, pseudo parameters and every intrinsic in a function environment', async () => {
    const template = await loadTemplate(FIXTURE_TEMPLATE, FIXTURE_INPUTS);
    const env = template.functions.EchoFunction!.environment;
    expect(env).toEqual({
      SHARED: 'hello',
      WHO: 'echo',
      TABLE: 'local-ItemsTable',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/local-ItemsTable',
      KEY_ARN: FIXTURE_KEY.attributes.Arn,
      JOINED: 'a,c',
      SUB: 'us-east-1:hello:local-ItemsTable:local',
      SUB_VARS: 'a@123456789012/aws',
      ESCAPED: '${Literal}-amazonaws.com',
      COUNT: '3',
      FLAG: 'true',
      SECOND_FLAVOUR: 'chocolate',
      SPLIT: 'left',
      MAPPED: '128',
      ENCODED: Buffer.from('hi').toString('base64'),
      MODE_A_ONLY: 'yes',
    });
    expect(env).not.toHaveProperty('EXTRA_TABLE');
  });

  it('applies overrides and pseudo parameters, and conditions follow them', async () => {
    const template = await loadTemplate(FIXTURE_TEMPLATE, {
      ...FIXTURE_INPUTS,
      parameterOverrides: { Greeting: 'bonjour', EnableExtra: 'true', Count: 5 },
      pseudoParameters: { region: 'eu-west-3', stackName: 'demo', accountId: '210987654321' },
    });
    expect(template.conditions).toEqual({ ExtraEnabled: true, IsModeA: true, ModeAWithoutExtra: false, AnyFlag: true });
    const env = template.functions.EchoFunction!.environment;
    expect(env.SUB).toBe('eu-west-3:bonjour:demo-ItemsTable:demo');
    expect(env.JOINED).toBe('a,b,c');
    expect(env.EXTRA_TABLE).toBe('demo-extra');
    expect(env.MODE_A_ONLY).toBe('no');
    expect(env.COUNT).toBe('5');
    expect(template.parameters.Greeting).toMatchObject({ default: 'hello', value: 'bonjour' });
    expect(template.parameters.Flavours!.value).toEqual(['vanilla', 'chocolate']);
    expect(template.outputs.ExtraTableName).toEqual({ value: 'demo-extra' });
  });

  it('describes functions: entry, handler export, limits from Globals, Api events and their auth', async () => {
    const { functions } = await loadTemplate(FIXTURE_TEMPLATE, FIXTURE_INPUTS);
    expect(Object.keys(functions)).toEqual(['EchoFunction', 'OtherFunction', 'BehaveFunction', 'AuthorizerFunction']);
    expect(functions.EchoFunction).toMatchObject({
      functionName: 'EchoFunction',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:EchoFunction',
      handler: 'echo.handler',
      handlerExport: 'handler',
      entry: path.join(fixturesDir, 'handlers/echo.ts'),
      timeoutSeconds: 5,
      memorySizeMb: 256,
      runtime: 'nodejs22.x',
    });
    // Without build metadata the entry comes from CodeUri + the Handler's file part.
    expect(functions.OtherFunction).toMatchObject({ entry: path.join(fixturesDir, 'handlers/other.ts'), memorySizeMb: 128 });
    expect(functions.BehaveFunction!.timeoutSeconds).toBe(1);
    expect(functions.EchoFunction!.apiEvents).toContainEqual({ name: 'GetItem', path: '/items/{id}', method: 'GET', restApiLogicalId: 'Api' });
    expect(functions.EchoFunction!.apiEvents).toContainEqual({
      name: 'Public',
      path: '/public',
      method: 'GET',
      restApiLogicalId: 'Api',
      authorizer: 'NONE',
    });
    expect(functions.EchoFunction!.apiEvents.find((e) => e.name === 'Proxy')!.method).toBe('ANY');
  });

  it('describes the API: stage, authorizers, gateway responses with unquoted literals, method settings', async () => {
    const { apis } = await loadTemplate(FIXTURE_TEMPLATE, { ...FIXTURE_INPUTS, parameterOverrides: { StageName: 'prod', CacheTtl: '0' } });
    const api = apis.Api!;
    expect(api).toMatchObject({ logicalId: 'Api', stageName: 'prod', defaultAuthorizer: 'TokenAuth', implicit: false });
    expect(api.id).toMatch(/^[0-9a-z]{10}$/);
    expect(api.authorizers.TokenAuth).toEqual({
      name: 'TokenAuth',
      type: 'TOKEN',
      functionLogicalId: 'AuthorizerFunction',
      identityHeader: 'Authorization',
      reauthorizeEverySeconds: 0,
    });
    expect(api.gatewayResponses.UNAUTHORIZED).toEqual({
      statusCode: 401,
      headers: { 'WWW-Authenticate': { literal: 'Bearer error="invalid_token"' }, 'X-Echo-Origin': { source: 'header', name: 'Origin' } },
      templates: { 'application/json': '{"message":$context.error.messageString,"requestId":"$context.requestId"}' },
    });
    expect(api.methodSettings).toEqual([{ resourcePath: '/*', httpMethod: '*', settings: { ThrottlingRateLimit: '3' } }]);
  });

  it('gives tables as CreateTable inputs, with the GSI, and leaves out tables whose condition is false', async () => {
    const stack = buildStack(await readTemplate(FIXTURE_TEMPLATE));
    const tables = describeTables(stack);
    expect(Object.keys(tables)).toEqual(['ItemsTable']);
    expect(tables.ItemsTable).toEqual({
      logicalId: 'ItemsTable',
      input: {
        TableName: 'local-ItemsTable',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'owner', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byOwner',
            KeySchema: [
              { AttributeName: 'owner', KeyType: 'HASH' },
              { AttributeName: 'createdAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['name'] },
          },
        ],
      },
      timeToLive: { AttributeName: 'expiresAt', Enabled: true },
    });
    const withExtra = describeTables(buildStack(await readTemplate(FIXTURE_TEMPLATE), { parameterOverrides: { EnableExtra: 'true', Count: 4 } }));
    expect(withExtra.ExtraTable!.input).toMatchObject({
      TableName: 'local-extra',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 1 },
    });
  });

  it('describes KMS keys with their condition result, without needing resource values', async () => {
    const document = await readTemplate(FIXTURE_TEMPLATE);
    expect(describeKmsKeys(buildStack(document))).toEqual({
      FixtureKey: { logicalId: 'FixtureKey', present: true, condition: 'IsModeA', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', description: 'local fixture key' },
    });
    expect(describeKmsKeys(buildStack(document, { parameterOverrides: { Mode: 'b' } })).FixtureKey).toMatchObject({ present: false });
  });

  it('resolves outputs and parameter descriptions', async () => {
    const template = await loadTemplate(FIXTURE_TEMPLATE, FIXTURE_INPUTS);
    expect(template.outputs).toEqual({
      ApiUrl: { value: `https://${template.apis.Api!.id}.execute-api.us-east-1.amazonaws.com/test` },
      Table: { value: 'local-ItemsTable', description: 'Items table name' },
      LogGroup: { value: '/aws/lambda/EchoFunction' },
    });
    expect(template.parameters.Mode).toEqual({ name: 'Mode', type: 'String', default: 'a', value: 'a', allowedValues: ['a', 'b'], noEcho: false });
  });

  it('refuses a reference to a resource whose condition is false, naming it and the condition', async () => {
    const promise = loadTemplate(FIXTURE_TEMPLATE, { ...FIXTURE_INPUTS, parameterOverrides: { Mode: 'b' } });
    await expect(promise).rejects.toThrow(AbsentResourceError);
    await expect(promise).rejects.toThrow(/"FixtureKey".*condition "IsModeA" is false/);
  });

  it('asks for the local value of a referenced resource it cannot derive', async () => {
    const promise = loadTemplate(FIXTURE_TEMPLATE);
    await expect(promise).rejects.toThrow(MissingResourceValueError);
    await expect(promise).rejects.toThrow(/FixtureKey.*inputs\.resources\.FixtureKey/);
  });

  it('names unknown references, unknown attributes and unknown conditions', () => {
    const withEnv = (value: string) =>
      inline(`
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h.handler
      Environment:
        Variables:
          X: ${value}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {}
`);
    expect(() => resolveTemplate(withEnv('!Ref Nope'))).toThrow(UnknownReferenceError);
    expect(() => resolveTemplate(withEnv('!Ref Nope'))).toThrow(/"Nope" at Resources\.Fn\.Properties\.Environment\.Variables\.X/);
    expect(() => resolveTemplate(withEnv('!Sub "${Missing}"'))).toThrow(/"Missing"/);
    expect(() => resolveTemplate(withEnv('!GetAtt Table.StreamArn'))).toThrow(/Table\.StreamArn.*local attributes of Table: Arn/);
    expect(() => resolveTemplate(withEnv('!If [NoSuchCondition, a, b]'))).toThrow(/condition NoSuchCondition/);
    expect(() => resolveTemplate(withEnv('!ImportValue shared'))).toThrow(UnsupportedFeatureError);
    expect(() => resolveTemplate(withEnv('!Bogus x'))).toThrow(/unknown CloudFormation tag !Bogus/);
  });

  it('supports the long forms and GetAtt as a list', () => {
    const template = resolveTemplate(
      inline(`
Parameters:
  P: { Type: String, Default: p }
Conditions:
  Yes: { "Fn::Equals": [{ Ref: P }, p] }
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties: { TableName: named }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h.handler
      Environment:
        Variables:
          A: { "Fn::GetAtt": [Table, Arn] }
          B: !GetAtt [Table, Arn]
          C: { "Fn::If": [Yes, { "Fn::Join": ["-", [{ Ref: P }, { Ref: "AWS::Region" }]] }, no] }
          D: { "Fn::Sub": "\${P}!" }
`),
    );
    expect(template.functions.Fn!.environment).toEqual({
      A: 'arn:aws:dynamodb:us-east-1:123456789012:table/named',
      B: 'arn:aws:dynamodb:us-east-1:123456789012:table/named',
      C: 'p-us-east-1',
      D: 'p!',
    });
  });

  it('checks parameter values against their constraints and the Rules', async () => {
    const document = await readTemplate(FIXTURE_TEMPLATE);
    expect(() => buildStack(document, { parameterOverrides: { Mode: 'c' } })).toThrow(InvalidParameterValueError);
    expect(() => buildStack(document, { parameterOverrides: { Count: 11 } })).toThrow(/above MaxValue 10/);
    expect(() => buildStack(document, { parameterOverrides: { Count: 'many' } })).toThrow(/not a number/);
    expect(() => buildStack(document, { parameterOverrides: { Nope: 'x' } })).toThrow(/does not declare it/);
    expect(() => buildStack(document, { parameterOverrides: { EnableExtra: 'true', Mode: 'b' } })).toThrow(RuleAssertionError);
    expect(() => buildStack(document, { parameterOverrides: { EnableExtra: 'true', Mode: 'b' } })).toThrow(/EnableExtra requires Mode a/);
    expect(() => buildStack(document, { resources: { NoSuchResource: { ref: 'x' } } })).toThrow(/NoSuchResource/);
  });

  it('resolves the project template once the signing key is supplied', async () => {
    const keyA = { ref: 'key-a', attributes: { Arn: 'arn:aws:kms:us-east-1:123456789012:key/key-a' } };
    const template = await loadTemplate(projectTemplate, { resources: { SigningKeyA: keyA } });
    expect(template.functions.TokenFunction!.environment.SIGNING_KEY_ID).toBe(keyA.attributes.Arn);
    expect(template.functions.AuthorizerFunction!.environment.VERIFY_KEY_IDS).toBe(keyA.attributes.Arn);
    expect(template.apis.Api!.authorizers.BearerTokenAuthorizer).toMatchObject({ functionLogicalId: 'AuthorizerFunction', reauthorizeEverySeconds: 300 });
    expect(template.kmsKeys.SigningKeyB!.present).toBe(false);
    await expect(loadTemplate(projectTemplate, { parameterOverrides: { KeyAState: 'active', KeyBState: 'active' } })).rejects.toThrow(RuleAssertionError);
  });
});
