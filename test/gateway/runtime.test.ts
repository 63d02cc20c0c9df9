import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionInitError, HandlerError, UnknownFunctionError } from '../../local/runtime/errors.js';
import { FunctionRuntime, invokeFunction } from '../../local/runtime/function-runtime.js';
import { loadTemplate, parseTemplate, resolveTemplate } from '../../local/template/index.js';
import { BASE_ENV, echoed, FIXTURE_INPUTS, FIXTURE_TEMPLATE, startFixtureGateway, type FixtureGateway } from './support.js';

let fixture: FixtureGateway;
beforeAll(async () => {
  process.env.ONLY_IN_THE_TEST_PROCESS = 'must not reach functions';
  fixture = await startFixtureGateway();
});
afterAll(async () => {
  delete process.env.ONLY_IN_THE_TEST_PROCESS;
  await fixture.gateway.close();
});

const container = async () => (await (await fetch(fixture.url('/behave/container'))).json()) as { containerId: string; invocations: number };

describe('function environments', () => {
  it('gives each function its own environment variables and module state', async () => {
    const other = (await (await fetch(fixture.url('/other'))).json()) as { who: string; shared: string };
    expect(other).toEqual({ who: 'other', shared: 'hello' });
    // OtherFunction wrote process.env.LEAK and a global; EchoFunction must see neither.
    const { env, marker } = await echoed(await fetch(fixture.url('/public')));
    expect(env.WHO).toBe('echo');
    expect(env.LEAK).toBeUndefined();
    expect(marker).toBeNull();
    expect(env.ONLY_IN_THE_TEST_PROCESS).toBeUndefined();
    expect(process.env.LEAK).toBeUndefined();
  });

  it('sets the Lambda variables, the base environment and the resolved template variables', async () => {
    const { env } = await echoed(await fetch(fixture.url('/public')));
    expect(env).toMatchObject({
      ...BASE_ENV,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'EchoFunction',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/EchoFunction',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _HANDLER: 'echo.handler',
      TABLE: 'local-ItemsTable',
      SHARED: 'hello',
    });
  });

  it('passes a Lambda context with the function identity and the time left before Timeout', async () => {
    const { context } = await echoed(await fetch(fixture.url('/public')));
    expect(context).toMatchObject({
      functionName: 'EchoFunction',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:EchoFunction',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/EchoFunction',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remainingMs).toBeGreaterThan(4_000);
    expect(context.remainingMs).toBeLessThanOrEqual(5_000);
  });

  it('keeps a warm environment between invocations and runs concurrent ones in it', async () => {
    const first = await container();
    const second = await container();
    expect(second.containerId).toBe(first.containerId);
    expect(second.invocations).toBe(first.invocations + 1);
    const coldStartsBefore = fixture.logs.filter((l) => l.source === 'EchoFunction' && l.line.includes('Init Duration')).length;
    const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(fixture.url('/public'))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(fixture.logs.filter((l) => l.source === 'EchoFunction' && l.line.includes('Init Duration')).length).toBe(coldStartsBefore);
  });

  it.each(['crash', 'exit'])('fails the invocation when the environment dies (%s) and starts a fresh one next time', async (mode) => {
    const exits = () => fixture.logs.filter((l) => l.source === 'BehaveFunction' && l.line.includes('"errorType":"Runtime.ExitError"')).length;
    const before = await container();
    const exitsBefore = exits();
    const response = await fetch(fixture.url(`/behave/${mode}`));
    expect(response.status).toBe(502);
    expect(exits()).toBe(exitsBefore + 1);
    const after = await container();
    expect(after.containerId).not.toBe(before.containerId);
    expect(after.invocations).toBe(1);
  });

  it('discards the environment after a timeout', async () => {
    const before = await container();
    expect((await fetch(fixture.url('/behave/sleep'))).status).toBe(502);
    const after = await container();
    expect(after.containerId).not.toBe(before.containerId);
  });

  it('forwards function output to the log sink under the function name', async () => {
    await fetch(fixture.url('/echo'), { headers: { Authorization: 'Bearer allow:logs' } });
    await expect.poll(() => fixture.logs.some((l) => l.source === 'AuthorizerFunction' && l.stream === 'stdout' && /^authorizer invocation \d+$/.test(l.line))).toBe(true);
  });

  it('reloads: re-reads the template, starts fresh environments and empties the authorizer cache', async () => {
    const token = { headers: { Authorization: 'Bearer allow-one-route:reload' } };
    expect((await fetch(fixture.url('/echo'), token)).status).toBe(200);
    expect((await fetch(fixture.url('/items/1'), token)).status).toBe(403);
    const before = await container();

    await fixture.gateway.reload({ templatePath: FIXTURE_TEMPLATE, inputs: { ...FIXTURE_INPUTS, parameterOverrides: { Greeting: 'hola' } } });
    expect(fixture.gateway.template.parameters.Greeting!.value).toBe('hola');
    const { env } = await echoed(await fetch(fixture.url('/public')));
    expect(env.SHARED).toBe('hola');
    expect((await container()).containerId).not.toBe(before.containerId);
    expect((await fetch(fixture.url('/items/1'), token)).status).toBe(200);
  });

  it('lets requests in flight finish on the old deployment during a reload', async () => {
    await container();
    const slow = fetch(fixture.url('/behave/slow'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fixture.gateway.reload();
    const response = await slow;
    expect(response.status).toBe(200);
  });
});

describe('invokeFunction (no HTTP)', () => {
  it('invokes a function with an event and returns its result', async () => {
    const template = await loadTemplate(FIXTURE_TEMPLATE, FIXTURE_INPUTS);
    const event = { httpMethod: 'GET', path: '/direct', headers: {}, requestContext: {} };
    const lines: string[] = [];
    const outcome = await invokeFunction(template, 'EchoFunction', event, { log: (_s, line) => lines.push(line) });
    const result = outcome.result as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).event).toEqual(event);
    expect(outcome.initDurationMs).toBeGreaterThan(0);
    expect(lines.some((line) => line.startsWith(`REPORT RequestId: ${outcome.requestId}`))).toBe(true);
  });

  it('rejects with the handler error as Lambda reports it', async () => {
    const template = await loadTemplate(FIXTURE_TEMPLATE, FIXTURE_INPUTS);
    const failure = invokeFunction(template, 'BehaveFunction', { pathParameters: { mode: 'throw' } }, { log: () => undefined });
    await expect(failure).rejects.toBeInstanceOf(HandlerError);
    await expect(failure.catch((error: HandlerError) => error.toLambdaError())).resolves.toMatchObject({ errorType: 'Error', errorMessage: 'kaboom' });
    await expect(invokeFunction(template, 'NoSuchFunction', {})).rejects.toBeInstanceOf(UnknownFunctionError);
  });

  it('reports init failures: a missing module and a missing export', async () => {
    const document = parseTemplate(
      `
Resources:
  Missing:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: handlers/, Handler: does-not-exist.handler }
  NoExport:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: handlers/, Handler: echo.notThere }
`,
      path.join(path.dirname(FIXTURE_TEMPLATE), 'init-failures.yaml'),
    );
    const runtime = new FunctionRuntime(resolveTemplate(document), { log: () => undefined });
    try {
      await expect(runtime.invoke('Missing', {})).rejects.toMatchObject({ name: 'FunctionInitError', errorType: 'Runtime.ImportModuleError' });
      const noExport = runtime.invoke('NoExport', {});
      await expect(noExport).rejects.toBeInstanceOf(FunctionInitError);
      await expect(noExport).rejects.toMatchObject({ errorType: 'Runtime.HandlerNotFound', message: 'echo.notThere is undefined or not exported' });
    } finally {
      await runtime.close();
    }
  });
});
