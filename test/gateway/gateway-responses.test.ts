import { describe, expect, it } from 'vitest';
import { gatewayResponse, type GatewayResponseContext } from '../../local/gateway/gateway-responses.js';
import type { ApiDescription } from '../../local/template/index.js';

const api: ApiDescription = {
  logicalId: 'Api',
  id: 'abcdefghij',
  stageName: 'v1',
  implicit: false,
  authorizers: {},
  methodSettings: [],
  binaryMediaTypes: [],
  gatewayResponses: {
    MISSING_AUTHENTICATION_TOKEN: {
      statusCode: 404,
      headers: {
        'X-Path': { literal: 'p' },
        'X-Origin': { source: 'header', name: 'origin' },
        'X-Absent': { source: 'header', name: 'X-Not-Sent' },
        'X-Id': { source: 'path', name: 'id' },
        'X-Query': { source: 'querystring', name: 'q' },
        'X-Stage-Var': { source: 'stageVariables', name: 'none' },
      },
      templates: {
        'application/json': '{"m":$context.error.messageString,"raw":"$context.error.message","id":"$context.requestId","t":"$context.error.responseType","s":"${context.stage}","u":"$context.unknown"}',
      },
    },
    DEFAULT_4XX: { headers: { 'X-Family': { literal: '4xx' } }, templates: {} },
  },
};

const REQUEST_VALUES = { 'header origin': 'https://a.example', 'path id': '42', 'querystring q': 'x' };

const context: GatewayResponseContext = {
  requestId: 'req-1',
  extendedRequestId: 'ext-1=',
  requestParameter: (source, name) => (REQUEST_VALUES as Record<string, string>)[`${source} ${name.toLowerCase()}`],
  variables: { stage: 'v1' },
};

describe('gateway responses', () => {
  it('applies a customised type: status override, literal and request-header values, body template variables', () => {
    const reply = gatewayResponse('MISSING_AUTHENTICATION_TOKEN', api, context, 'say "hi"');
    expect(reply.statusCode).toBe(404);
    expect(reply.headers).toEqual([
      ['Content-Type', 'application/json'],
      ['x-amzn-ErrorType', 'MissingAuthenticationTokenException'],
      ['X-Path', 'p'],
      ['X-Origin', 'https://a.example'],
      ['X-Id', '42'],
      ['X-Query', 'x'],
    ]);
    // messageString is the message as a JSON string; message is inserted raw.
    expect(reply.body).toBe('{"m":"say \\"hi\\"","raw":"say "hi"","id":"req-1","t":"MISSING_AUTHENTICATION_TOKEN","s":"v1","u":""}');
  });

  it('renders $context.authorizer.<key> from the context a Lambda authorizer returned', () => {
    const withAuthorizer = {
      ...api,
      gatewayResponses: { ACCESS_DENIED: { headers: {}, templates: { 'application/json': '{"client":"$context.authorizer.clientId","p":"$context.authorizer.principalId"}' } } },
    };
    const reply = gatewayResponse('ACCESS_DENIED', withAuthorizer, { ...context, variables: { 'authorizer.clientId': 'c-1', 'authorizer.principalId': 'c-1' } });
    expect(reply.body).toBe('{"client":"c-1","p":"c-1"}');
  });

  it('answers AUTHORIZER_FAILURE with its own customisation, else the DEFAULT_5XX one', () => {
    const customised = { ...api, gatewayResponses: { AUTHORIZER_FAILURE: { statusCode: 503, headers: { 'Retry-After': { literal: '5' } }, templates: {} } } };
    expect(gatewayResponse('AUTHORIZER_FAILURE', customised, context)).toMatchObject({ statusCode: 503, headers: expect.arrayContaining([['Retry-After', '5']]) });
    expect(gatewayResponse('AUTHORIZER_FAILURE', undefined, context)).toMatchObject({ statusCode: 500, body: '{"message": null}' });
  });

  it('falls back to the DEFAULT_4XX customisation and AWS default body for other 4xx types', () => {
    const reply = gatewayResponse('UNAUTHORIZED', api, context);
    expect(reply.statusCode).toBe(401);
    expect(reply.headers).toContainEqual(['X-Family', '4xx']);
    expect(reply.body).toBe('{"message":"Unauthorized"}');
  });

  it('renders AWS defaults without any customisation, null message included', () => {
    expect(gatewayResponse('AUTHORIZER_CONFIGURATION_ERROR', undefined, context)).toEqual({
      statusCode: 500,
      headers: [
        ['Content-Type', 'application/json'],
        ['x-amzn-ErrorType', 'AuthorizerConfigurationException'],
      ],
      body: '{"message": null}',
    });
    expect(gatewayResponse('ACCESS_DENIED', undefined, context).body).toBe('{"Message":"User is not authorized to access this resource"}');
    expect(gatewayResponse('INTEGRATION_FAILURE', undefined, context)).toMatchObject({ statusCode: 502, body: '{"message": "Internal server error"}' });
  });
});
