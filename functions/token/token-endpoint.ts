import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { oauthErrors } from '#shared/http/oauth-errors-middleware.js';
import { jsonApiSecurityHeaders } from '#shared/http/security-headers.js';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { FunctionMetrics } from '#shared/metrics/powertools-metrics.js';
import type { TokenConfig } from './config.js';
import { makeTokenIssuer, type TokenIssuerDependencies } from './token-issuer.js';
import { readTokenRequest } from './token-request.js';
import { tokenResponse } from './token-response.js';

export interface TokenEndpointDependencies extends TokenIssuerDependencies {
  config: TokenConfig;
  logger: Logger;
  /** EMF metrics, one record per invocation; absent in tests that do not look at them. */
  metrics?: FunctionMetrics;
}

/** POST /oauth2/token as a middy handler, over whatever ports it is given (AWS in handler.ts, fakes in tests). */
export function tokenEndpoint({ config, logger, metrics, ...ports }: TokenEndpointDependencies) {
  const issueToken = makeTokenIssuer({ ...ports, config });
  const recorder = metrics?.recorder;

  const endpoint = middy<APIGatewayProxyEvent, APIGatewayProxyResult>();
  // First in, so its flush runs last on the way out, after the refusal or failure has been counted.
  if (metrics !== undefined) endpoint.use(logMetrics(metrics.metrics));
  return endpoint
    // logEvent pinned off: POWERTOOLS_LOGGER_LOG_EVENT would otherwise log the Authorization header and body.
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(jsonApiSecurityHeaders())
    .use(oauthErrors({ logger, ...(recorder ? { metrics: recorder } : {}) }))
    .handler(async (event, context) => {
      // The API Gateway request id (the access log's) and Lambda's (the function log's, as Powertools Logger names it).
      recorder?.property('requestId', event.requestContext.requestId);
      recorder?.property('function_request_id', context.awsRequestId);
      const issued = await issueToken(readTokenRequest(event, config));
      const { client_id: clientId, jti, scope, aud } = issued.claims;
      logger.info('Access token issued', { clientId, jti, scope, aud, expiresIn: issued.expiresIn });
      recorder?.count('TokensIssued');
      recorder?.property('clientId', clientId);
      return tokenResponse(issued);
    });
}
