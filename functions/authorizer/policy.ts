import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { VerifiedAccessToken } from './access-token-claims.js';

/**
 * The context API Gateway hands to the integration as event.requestContext.authorizer. Only flat strings:
 * API Gateway accepts nothing else there, and the products function reads exactly these names.
 */
export interface AuthorizerContext {
  clientId: string;
  scope: string;
  jti: string;
  exp: string;
}

/**
 * Allows every method of the stage, not just the one asked about: API Gateway caches this result per
 * token (ReauthorizeEvery) and reuses it on every route, so a policy naming only the first route would
 * deny the others until the cache expired. What each route needs is enforced by the scope check in the
 * integration (functions/products/route-scopes.ts), which receives the scope through the context.
 */
export function allowPolicy(stageArn: string, token: VerifiedAccessToken): APIGatewayAuthorizerResult & { context: AuthorizerContext } {
  return {
    principalId: token.clientId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${stageArn}/*/*` }],
    },
    context: { clientId: token.clientId, scope: token.scope, jti: token.jti, exp: String(token.expiresAt) },
  };
}
