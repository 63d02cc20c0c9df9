import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One Powertools logger per function (service name from POWERTOOLS_SERVICE_NAME). Callers log only
 * chosen fields (client id, reason, jti): never an event, a body, a header, a secret or a token.
 */
export function createLogger(): Logger {
  return new Logger();
}
