import { jsonResponse } from '#shared/http/json-response.js';
import { NO_STORE_HEADERS } from '#shared/http/oauth-error-response.js';
import { lifecycleAdapters } from '#shared/token-lifecycle/aws-wiring.js';
import { tokenEndpointHandler } from '#shared/token-lifecycle/token-endpoint-request.js';
import { introspectToken } from './introspect-token.js';

const { endpoint, revocations } = lifecycleAdapters();

/** POST /oauth2/introspect (RFC 7662). */
export const handler = tokenEndpointHandler(endpoint, '/oauth2/introspect', async (request) => {
  const { response, reason } = await introspectToken(revocations, request);
  endpoint.logger.info('Introspection request', { clientId: request.caller.clientId, active: response.active, ...(reason && { reason }) });
  request.metrics.count('IntrospectionRequests', { outcome: response.active ? 'active' : (reason ?? 'inactive') });
  // RFC 7662 §2.2: application/json; the answer says whether a token is live, so no cache may keep it.
  return jsonResponse(200, response, { ...NO_STORE_HEADERS });
});
