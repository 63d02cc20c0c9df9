import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export const API_ID = 'k7x2m9q4ab';
/** What Lambda puts in AWS_REGION; give it to the token endpoint's config. */
export const REGION = 'eu-west-1';
export const API_DOMAIN = `${API_ID}.execute-api.${REGION}.amazonaws.com`;
export const STAGE = 'v1';
/** What shared/oauth/issuer.ts derives from the event below and REGION when ISSUER is empty. */
export const DERIVED_ISSUER = `https://${API_DOMAIN}/${STAGE}`;
/** A custom domain mapped to the stage at its root (base path mapping ''), as API Gateway reports it. */
export const CUSTOM_DOMAIN = 'auth.example.com';

/** RFC 6749 §2.3.1 / Appendix B: a client id or secret form-encoded before it goes into Basic credentials. */
export const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);

export const basic = (clientId: string, secret: string): string =>
  `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`, 'utf8').toString('base64')}`;

export const form = (parameters: Record<string, string> | [string, string][]): string => new URLSearchParams(parameters).toString();

export interface TokenEventOptions {
  body?: string | null;
  headers?: Record<string, string>;
  /** Header lines as sent, in order; defaults to one line per `headers` entry. */
  headerLines?: [string, string][];
  query?: Record<string, string>;
  isBase64Encoded?: boolean;
  /** The request came through a custom domain: Host and requestContext.domainName name it, `path` has no stage. */
  customDomain?: string;
}

/** Typical client headers; a header given in `headers` replaces the default of the same name, whatever its case. */
function withDefaults(headers: Record<string, string>, host: string): [string, string][] {
  const defaults: [string, string][] = [
    ['Host', host],
    ['User-Agent', 'oauth-client/1.0'],
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['X-Forwarded-Proto', 'https'],
  ];
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  return [...defaults.filter(([name]) => !given.has(name.toLowerCase())), ...Object.entries(headers)];
}

/** A REST API (payload format 1.0) proxy event for POST /oauth2/token, shaped as API Gateway sends it. */
export function tokenEvent(options: TokenEventOptions = {}): APIGatewayProxyEvent {
  const domainName = options.customDomain ?? API_DOMAIN;
  const lines: [string, string][] = options.headerLines ?? withDefaults(options.headers ?? {}, domainName);
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of lines) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = options.query;
  const requestId = randomUUID();
  return {
    resource: '/oauth2/token',
    path: '/oauth2/token',
    httpMethod: 'POST',
    headers,
    multiValueHeaders,
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: API_ID,
      authorizer: null,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? '',
      extendedRequestId: 'Ab1cDEfGhIJKLmn=',
      httpMethod: 'POST',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'oauth-client/1.0',
        userArn: null,
      },
      path: options.customDomain === undefined ? `/${STAGE}/oauth2/token` : '/oauth2/token',
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: '15/Jan/2030:12:00:00 +0000',
      requestTimeEpoch: 1_894_708_800_000,
      resourceId: 'abc123',
      resourcePath: '/oauth2/token',
      stage: STAGE,
    },
    body: options.body === undefined ? null : options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'oauth-cc-TokenFunction-abc',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:oauth-cc-TokenFunction-abc',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/oauth-cc-TokenFunction-abc',
    logStreamName: '2030/01/15/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
