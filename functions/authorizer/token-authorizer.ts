import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { readBearerToken } from './bearer-header.js';
import { stageArnOf } from './method-arn.js';
import { allowPolicy } from './policy.js';
import { AuthorizerUnavailable, TokenRejected } from './token-errors.js';

export interface TokenAuthorizerDependencies {
  /** The verifier, built once per container; a rejected promise means "cannot verify right now". */
  loadVerifier: () => Promise<AccessTokenVerifier>;
  logger: Pick<Logger, 'info' | 'error'>;
}

export type TokenAuthorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/**
 * API Gateway answers 401 (the UNAUTHORIZED gateway response, with its Bearer challenge) only when a
 * TOKEN authorizer throws exactly `Error('Unauthorized')`; anything else thrown becomes a 500. So every
 * failure, the caller's or ours, ends here as that one error: the authorizer fails closed, never open.
 */
export function makeTokenAuthorizer({ loadVerifier, logger }: TokenAuthorizerDependencies): TokenAuthorizer {
  return async (event) => {
    try {
      const token = readBearerToken(event.authorizationToken);
      const stageArn = stageArnOf(event.methodArn);
      if (stageArn === undefined) throw new AuthorizerUnavailable('Unrecognised method ARN');
      const verify = await loadVerifier();
      return allowPolicy(stageArn, await verify(token, event.methodArn));
    } catch (error) {
      logRefusal(logger, error);
      // eslint-disable-next-line preserve-caught-error -- logged above; nothing about it may travel with the 401
      throw new Error('Unauthorized');
    }
  };
}

// Only chosen fields: never the event, the header or the token (shared/logging/logger.ts).
function logRefusal(logger: TokenAuthorizerDependencies['logger'], error: unknown): void {
  if (error instanceof TokenRejected) {
    logger.info('Access token rejected', { reason: error.name, ...error.details });
    return;
  }
  const { name, message } = error instanceof Error ? error : { name: 'UnknownError', message: String(error) };
  logger.error('Cannot verify access tokens; denying', { reason: name, detail: message });
}
