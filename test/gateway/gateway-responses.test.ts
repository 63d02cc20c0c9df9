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
      headers: { 'X-Path': { literal: 'p' }, 'X-Origin': { requestHeader: 'origin' }, 'X-Absent': { requestHeader: 'X-Not-Sent' } },
      templates: {
        'application/json': '{"m":$context.error.messageString,"raw":"$context.error.message","id":"$context.requestId","t":"$context.error.responseType","s":"${context.stage}","u":"$context.unknown"}',
      },
    },
    DEFAULT_4XX: { headers: { 'X-Family': { literal: '4xx' } }, templates: {} },
  },
};

const context: GatewayResponseContext = {
  requestId: 'req-1',
  extendedRequestId: 'ext-1=',
  requestHeader: (name) => (name.toLowerCase() === 'origin' ? 'https://a.example' : undefined),
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
    ]);
    // messageString is the message as a JSON string; message is inserted raw.
    expect(reply.body).toBe('{"m":"say \\"hi\\"","raw":"say "hi"","id":"req-1","t":"MISSING_AUTHENTICATION_TOKEN","s":"v1","u":""}');
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
