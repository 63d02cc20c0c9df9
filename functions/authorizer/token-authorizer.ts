import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { bearerCandidate, isB64token, notBearer } from './bearer-header.js';
import { routeOf, stageArnOf } from './method-arn.js';
import { authorizerAnswer, type AuthorizerAnswer } from './policy.js';
import type { RoutePolicyBuilder } from './route-policy.js';
import { AuthorizerUnavailable, TokenRejected, TokenRevoked } from '#shared/access-token/token-errors.js';
import { noMetrics, type InvocationMetrics } from '#shared/metrics/invocation-metrics.js';
import type { RevocationCheck, TokenIdentity } from '#shared/revocation/revocation-store.js';
import { isJsonObject, parseJsonSegment } from '#shared/access-token/json-segment.js';

export interface TokenAuthorizerDependencies {
  /** The verifier, built once per container; a rejected promise means "cannot verify right now". */
  loadVerifier: () => Promise<AccessTokenVerifier>;
  /** The access rules as a policy per scope set (route-policy.ts). */
  policyFor: RoutePolicyBuilder;
  /** Revoked tokens and clients' cut-offs; asked on every decision the gateway has not cached. */
  revocations: RevocationCheck;
  logger: Pick<Logger, 'info' | 'error'>;
  /** Records the decision (authorizer-metrics.ts); the handler flushes it once per invocation. */
  metrics?: InvocationMetrics;
}

export type TokenAuthorizer = (event: APIGatewayTokenAuthorizerEvent) => Promise<AuthorizerAnswer>;

/**
 * What API Gateway makes of a TOKEN authorizer's outcome ("Use API Gateway Lambda authorizers"):
 * - `Error('Unauthorized')`, exactly, is the UNAUTHORIZED gateway response (401 + the template's Bearer
 *   invalid_token challenge): the token is bad and the client should get a new one;
 * - a policy decides between the integration and ACCESS_DENIED (403 + insufficient_scope);
 * - any other error is a 500 with `x-amzn-ErrorType: AuthorizerConfigurationException`, the
 *   AUTHORIZER_CONFIGURATION_ERROR gateway response, which the template turns into 503 + Retry-After.
 * So a token we could not judge (keys unreachable, bad configuration) is never called bad: a 401 would send
 * every client back to the token endpoint at once, turning an outage into a storm. Either way nothing is
 * allowed: the authorizer fails closed.
 */
export const UNAUTHORIZED = 'Unauthorized';
export const CANNOT_DECIDE = 'Service Unavailable';

export function makeTokenAuthorizer({ loadVerifier, policyFor, revocations, logger, metrics = noMetrics }: TokenAuthorizerDependencies): TokenAuthorizer {
  // Kept once loaded, so a warm decision does not wait on the load's settled promise again.
  let loaded: AccessTokenVerifier | undefined;
  // A container serves one stage and a handful of routes: the last ARN's stage is remembered.
  let lastArn: string | undefined;
  let lastStageArn: string | undefined;
  return async (event) => {
    if (event.methodArn !== lastArn) {
      lastArn = event.methodArn;
      lastStageArn = stageArnOf(event.methodArn);
    }
    const stageArn = lastStageArn;
    if (metrics !== noMetrics) {
      const route = routeOf(event.methodArn, stageArn);
      if (route !== undefined) metrics.property('route', route);
    }
    let token: string | undefined;
    try {
      token = bearerCandidate(event.authorizationToken);
      if (stageArn === undefined) throw new AuthorizerUnavailable('Unrecognised method ARN');
      let early: EarlyRead | undefined;
      if (loaded === undefined) {
        early = earlyRevocationRead(revocations, token);
        loaded = await loadVerifier();
      }
      const verified = loaded(token, event.methodArn);
      // Warm, only a token that verified costs a read; a revocation store that cannot answer means "cannot decide".
      const revoked = early !== undefined && sameToken(early.identity, verified) ? early.answer : revocations.isRevoked(verified);
      if (await revoked) {
        const revoked = new TokenRevoked('The token or its client has been revoked');
        Object.assign(revoked.details, { jti: verified.jti, clientId: verified.clientId });
        throw revoked;
      }
      const answer = authorizerAnswer(policyFor(stageArn, verified.scope), verified);
      countDecision(metrics, ALLOWED, verified);
      return answer;
    } catch (thrown) {
      // A token that verified is b64token (bearer-header.ts); any other that is not is named for what it is,
      // as if the header had been refused first, whatever failed on the way.
      const error = token !== undefined && !isB64token(token) ? notBearer() : thrown;
      if (error instanceof TokenRejected) {
        logger.info('Access token rejected', { reason: error.name, ...error.details });
        countDecision(metrics, error.name, error.details);
        // eslint-disable-next-line preserve-caught-error -- logged above; nothing about it may travel with the 401
        throw new Error(UNAUTHORIZED);
      }
      // Only chosen fields: never the event, the header or the token (shared/logging/logger.ts).
      const { name, message } = error instanceof Error ? error : { name: 'UnknownError', message: String(error) };
      logger.error('Cannot decide on the access token; refusing with 503', { reason: name, detail: message });
      countDecision(metrics, CANNOT_DECIDE_OUTCOME, {});
      // eslint-disable-next-line preserve-caught-error -- logged above; internals never reach the client
      throw new Error(CANNOT_DECIDE);
    }
  };
}

interface EarlyRead {
  identity: TokenIdentity;
  answer: Promise<boolean>;
}

/**
 * On a cold start the keys are still to come from KMS, so the token's revocation records are read meanwhile,
 * from its claims as written: one round trip instead of two on the first request. The answer is used only
 * when the verified claims name the same token; a token that fails verification is refused without it.
 */
function earlyRevocationRead(revocations: RevocationCheck, token: string): EarlyRead | undefined {
  const headerEnd = token.indexOf('.');
  const payloadEnd = headerEnd < 0 ? -1 : token.indexOf('.', headerEnd + 1);
  if (payloadEnd < 0) return undefined;
  const claims = parseJsonSegment(token, headerEnd + 1, payloadEnd);
  if (!isJsonObject(claims)) return undefined;
  const { jti, client_id: clientId, iat } = claims;
  if (typeof jti !== 'string' || typeof clientId !== 'string' || typeof iat !== 'number' || !Number.isFinite(iat)) return undefined;
  const identity = { jti, clientId, issuedAt: Math.floor(iat) };
  let answer: Promise<boolean>;
  try {
    answer = revocations.isRevoked(identity);
  } catch (error) {
    // A store that cannot even start the read (its table unconfigured) decides nothing before verification.
    answer = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  // Awaited only if used; a failure then is that decision's, never an unhandled rejection.
  answer.catch(() => undefined);
  return { identity, answer };
}

function sameToken(a: TokenIdentity, b: TokenIdentity): boolean {
  return a.jti === b.jti && a.clientId === b.clientId && a.issuedAt === b.issuedAt;
}

/** The `outcome` dimension: `allowed`, a TokenRejected name (token-errors.ts), or `cannot-decide`. */
export const ALLOWED = 'allowed';
export const CANNOT_DECIDE_OUTCOME = 'cannot-decide';

function countDecision(metrics: InvocationMetrics, outcome: string, about: { clientId?: string | undefined; jti?: string | undefined }): void {
  if (metrics === noMetrics) return;
  metrics.count('AuthorizerDecisions', { outcome });
  if (about.clientId !== undefined) metrics.property('clientId', about.clientId);
  if (about.jti !== undefined) metrics.property('jti', about.jti);
}
