import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * A REST proxy event for the products function as the gateway delivers it after an Allow: the caller's
 * client id, scope and expiry in `requestContext.authorizer`, the stage in `requestContext.path`.
 */
export function productsEvent(
  httpMethod: string,
  resource: string,
  caller: { clientId: string; scope: string },
  extra: Partial<APIGatewayProxyEvent> = {},
): APIGatewayProxyEvent {
  return {
    httpMethod,
    resource,
    path: resource,
    headers: {},
    queryStringParameters: null,
    pathParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      path: `/v1${resource}`,
      authorizer: { ...caller, exp: String(Math.floor(Date.now() / 1000) + 600) },
    },
    ...extra,
  } as unknown as APIGatewayProxyEvent;
}
