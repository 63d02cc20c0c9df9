import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { IssuerTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import { authenticateClient } from '#shared/client-auth/client-authentication.js';
import { readClientFormRequest } from '#shared/client-auth/client-form-request.js';
import type { AssertionJtiStore } from '#shared/client-auth/assertion-jti-store.js';
import type { ClientStore } from '#shared/clients/client-store.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { oauthErrors } from '#shared/http/oauth-errors-middleware.js';
import { requestIssuer, type IssuerSettings } from '#shared/http/request-issuer.js';
import { jsonApiSecurityHeaders } from '#shared/http/security-headers.js';
import { noMetrics, type InvocationMetrics } from '#shared/metrics/invocation-metrics.js';
import type { FunctionMetrics } from '#shared/metrics/powertools-metrics.js';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Clock } from '#shared/time/clock.js';

/** What the revocation and introspection endpoints receive, once the caller is authenticated. */
export interface TokenEndpointRequest {
  caller: RegisteredClient;
  /** The `token` parameter (RFC 7009 §2.1, RFC 7662 §2.1), never logged. */
  token: string;
  /** This server's issuer as the request reached it (shared/oauth/issuer.ts). */
  issuer: string;
  /** The authorizer's verifier, judging tokens of this issuer for every audience. */
  verify: IssuerTokenVerifier;
  /** This invocation's metrics record (refusals are counted by the error middleware). */
  metrics: InvocationMetrics;
}

export interface TokenEndpointDependencies {
  config: IssuerSettings;
  logger: Logger;
  clients: ClientStore;
  /** Where accepted private_key_jwt assertions' jti are recorded (RFC 7523 §3: single use). */
  assertionJtis: AssertionJtiStore;
  clock: Clock;
  /** Tolerance on assertions' exp, nbf and iat. */
  clockSkewSeconds: number;
  /** Built once per container from the KMS public keys; a rejection means "KMS unreachable right now". */
  loadVerifier: () => Promise<IssuerTokenVerifier>;
  /** EMF metrics, one record per invocation; absent in tests that do not look at them. */
  metrics?: FunctionMetrics;
}

// RFC 7009 §2.1 and RFC 7662 §2.1 name `token` and `token_type_hint`; the rest is client authentication.
const RULES = { known: new Set(['token', 'token_type_hint']) };

/**
 * The shape both endpoints share: a form POST, the client authenticated exactly as at the token endpoint
 * (same module, same uniform invalid_client, RFC 7009 §2.1 / RFC 7662 §2.1), a required `token`, and errors
 * answered in the RFC 6749 §5.2 shape by the one error middleware. `token_type_hint` is read and ignored:
 * this server issues one type of token, and RFC 7009 §2.1 has the server search every type anyway.
 */
export function tokenEndpointHandler(
  { config, logger, clients, assertionJtis, clock, clockSkewSeconds, loadVerifier, metrics }: TokenEndpointDependencies,
  /** This endpoint's path under the issuer, e.g. `/oauth2/revoke`: an audience a client assertion may name. */
  endpointPath: string,
  handle: (request: TokenEndpointRequest) => Promise<APIGatewayProxyResult>,
) {
  const recorder = metrics?.recorder ?? noMetrics;
  const endpoint = middy<APIGatewayProxyEvent, APIGatewayProxyResult>();
  // First in, so its flush runs last on the way out, after a refusal or failure has been counted.
  if (metrics !== undefined) endpoint.use(logMetrics(metrics.metrics));
  return endpoint
    // logEvent pinned off: POWERTOOLS_LOGGER_LOG_EVENT would otherwise log the Authorization header and body.
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(jsonApiSecurityHeaders())
    .use(oauthErrors({ logger, metrics: recorder }))
    .handler(async (event, context) => {
      recorder.property('requestId', event.requestContext.requestId);
      recorder.property('function_request_id', context.awsRequestId);
      const form = readClientFormRequest(event, RULES);
      const issuer = requestIssuer(config, event);
      // RFC 7523 §3 item 3: the issuer, or an endpoint URL; clients differ in which they name.
      const audiences = [issuer, `${issuer}/oauth2/token`, `${issuer}${endpointPath}`];
      const caller = await authenticateClient({ clients, assertionJtis }, form.client, { now: clock(), audiences, clockSkewSeconds });
      const token = form.parameter('token');
      if (token === undefined) throw new InvalidRequest('The token parameter is required');
      const verify = await loadVerifier().catch((error: unknown) => {
        throw dependencyUnavailable('KMS', error);
      });
      recorder.property('clientId', caller.clientId);
      return handle({ caller, token, issuer, verify, metrics: recorder });
    });
}
