import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { oauthErrors } from '#shared/http/oauth-errors-middleware.js';
import { jsonApiSecurityHeaders } from '#shared/http/security-headers.js';
import type { TokenConfig } from './config.js';
import { makeTokenIssuer, type TokenIssuerDependencies } from './token-issuer.js';
import { readTokenRequest } from './token-request.js';
import { tokenResponse } from './token-response.js';

export interface TokenEndpointDependencies extends TokenIssuerDependencies {
  config: TokenConfig;
  logger: Logger;
}

/** POST /oauth2/token as a middy handler, over whatever ports it is given (AWS in handler.ts, fakes in tests). */
export function tokenEndpoint({ config, logger, ...ports }: TokenEndpointDependencies) {
  const issueToken = makeTokenIssuer({ ...ports, config });

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    // logEvent pinned off: POWERTOOLS_LOGGER_LOG_EVENT would otherwise log the Authorization header and body.
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(jsonApiSecurityHeaders())
    .use(oauthErrors({ logger }))
    .handler(async (event) => {
      const issued = await issueToken(readTokenRequest(event, config));
      const { client_id: clientId, jti, scope, aud } = issued.claims;
      logger.info('Access token issued', { clientId, jti, scope, aud, expiresIn: issued.expiresIn });
      return tokenResponse(issued);
    });
}
