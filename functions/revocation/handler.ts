import { NO_STORE_HEADERS } from '#shared/http/oauth-error-response.js';
import { lifecycleAdapters } from '#shared/token-lifecycle/aws-wiring.js';
import { tokenEndpointHandler } from '#shared/token-lifecycle/token-endpoint-request.js';
import { revokeToken } from './revoke-token.js';

const { endpoint, revocations } = lifecycleAdapters();

/** POST /oauth2/revoke (RFC 7009). */
export const handler = tokenEndpointHandler(endpoint, '/oauth2/revoke', async (request) => {
  const outcome = await revokeToken(revocations, request);
  endpoint.logger.info('Revocation request', { clientId: request.caller.clientId, outcome });
  request.metrics.count('RevocationRequests', { outcome });
  // RFC 7009 §2.2: 200 and no body, whether or not anything was revoked.
  return { statusCode: 200, headers: { ...NO_STORE_HEADERS }, body: '' };
});
