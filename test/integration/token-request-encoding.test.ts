import { appendFileSync } from 'node:fs';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionRuntime } from '../../local/runtime/function-runtime.js';
import { runningStackFunctions } from '../../local/stack/local-stack.js';
import { basicAuthorization, createTestClient, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * A base64-encoded form body (isBase64Encoded). The gateway passes application/x-www-form-urlencoded as
 * text, as API Gateway does when the API declares no binary media types, so no HTTP request can deliver
 * one (token-endpoint-errors.test.ts shows what a base64 body over HTTP meets). API Gateway does send one
 * when BinaryMediaTypes match the form type, so the token function is invoked here directly, in the
 * environment the running stack gives it (its DynamoDB, its KMS key), and the token it issues is then
 * used over HTTP.
 */
let runtime: FunctionRuntime;
let client: TestClient;

beforeAll(async () => {
  const { template, baseEnv } = await runningStackFunctions(testStack());
  // Its log lines go to the run's log file with the others, so the no-secrets check reads them too.
  runtime = new FunctionRuntime(template, { baseEnv, log: (source, line) => appendFileSync(testStack().logFile, `${source}\t${line}\n`) });
  client = await createTestClient({ scopes: ['products:read'] });
});

afterAll(async () => {
  await runtime?.close();
});

function tokenEvent(body: Buffer, contentType = 'application/x-www-form-urlencoded') {
  const headers = { 'Content-Type': contentType, Authorization: basicAuthorization(client.clientId, client.clientSecret) };
  return {
    resource: '/oauth2/token',
    path: '/oauth2/token',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { stage: 'v1', domainName: new URL(testStack().apiUrl).host, httpMethod: 'POST', resourcePath: '/oauth2/token' },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

async function invokeToken(body: Buffer, contentType?: string): Promise<APIGatewayProxyResult> {
  const { result } = await runtime.invoke('TokenFunction', tokenEvent(body, contentType));
  return result as APIGatewayProxyResult;
}

describe('a base64-encoded form body', () => {
  it('is decoded and answered like the same form sent as text; the token opens the API', async () => {
    const result = await invokeToken(Buffer.from('grant_type=client_credentials&scope=products%3Aread'));
    expect(result.statusCode, result.body).toBe(200);
    expect(result.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const body = JSON.parse(result.body) as { access_token: string; scope: string };
    expect(body.scope).toBe('products:read');

    const products = await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(products.status).toBe(200);
  });

  it('is refused with 400 invalid_request when its bytes are not UTF-8', async () => {
    const result = await invokeToken(Buffer.from([...Buffer.from('grant_type=client_credentials&scope='), 0xff, 0xfe]));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'invalid_request' });
  });

  it('is refused with 400 invalid_request when it decodes to more than 4096 bytes', async () => {
    const result = await invokeToken(Buffer.from(`grant_type=client_credentials&pad=${'x'.repeat(4096)}`));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'invalid_request' });
  });
});
