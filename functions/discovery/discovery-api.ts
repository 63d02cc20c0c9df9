import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { jsonResponse } from '#shared/http/json-response.js';
import type { VerificationKey } from '#shared/keys/verification-key.js';
import { issuerFromRequest } from '#shared/oauth/issuer.js';
import { authorizationServerMetadata } from './authorization-server-metadata.js';
import { IssuerUnknown, KeysUnavailable, UnknownResource } from './errors.js';
import { jwksOf } from './jwks.js';

export interface DiscoveryApiDependencies {
  /** The verification keys, fetched once per container; a rejection means KMS could not be reached. */
  loadKeys: () => Promise<readonly VerificationKey[]>;
  /** Configured issuer; undefined means derive it from the request and the region (shared/oauth/issuer.ts). */
  issuer: string | undefined;
  /** AWS_REGION, which Lambda sets. */
  region: string | undefined;
  scopesSupported: readonly string[];
  logger: Pick<Logger, 'error'>;
}

export type DiscoveryApi = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Five minutes, for both documents. A new signing key is published (as the "previous" slot) before it
 * signs anything, so relying parties that cache the JWKS this long see it in time provided the rotation
 * waits at least this long between publishing and activating (README, "Key rotation"); it also matches
 * the authorizer's decision cache (AuthorizerCacheTtlSeconds, 300 by default). Both documents are public
 * and the same for everyone, so shared caches may keep them.
 */
const PUBLIC_CACHE = { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' };
const RETRY_AFTER_SECONDS = '1';

export function makeDiscoveryApi({ loadKeys, issuer, region, scopesSupported, logger }: DiscoveryApiDependencies): DiscoveryApi {
  const metadata = (event: APIGatewayProxyEvent) => {
    const resolved = issuerFromRequest(issuer, event.requestContext, region);
    if (resolved === undefined) throw new IssuerUnknown('No ISSUER configured, and no API id and stage in the request or no AWS_REGION');
    return jsonResponse(200, authorizationServerMetadata(resolved, scopesSupported), PUBLIC_CACHE);
  };

  const routes: Record<string, (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>> = {
    '/.well-known/jwks.json': async () => {
      const keys = await loadKeys().catch((error: unknown) => {
        throw new KeysUnavailable(error instanceof Error ? error.name : 'unknown error', { cause: error });
      });
      return jsonResponse(200, jwksOf(keys), PUBLIC_CACHE);
    },
    '/.well-known/oauth-authorization-server': async (event) => metadata(event),
    // The same document: OpenID-style clients look here (RFC 8414 §5 keeps the two compatible).
    '/.well-known/openid-configuration': async (event) => metadata(event),
  };

  return async (event) => {
    try {
      const route = Object.hasOwn(routes, event.resource) ? routes[event.resource] : undefined;
      if (route === undefined) throw new UnknownResource('No such resource');
      return await route(event);
    } catch (error) {
      return errorResponse(error, logger);
    }
  };
}

/** The one place a discovery failure becomes an HTTP answer; causes go to the log, never the body. */
function errorResponse(error: unknown, logger: DiscoveryApiDependencies['logger']): APIGatewayProxyResult {
  if (error instanceof UnknownResource) return jsonResponse(404, { error: 'not_found', error_description: error.message });
  if (error instanceof KeysUnavailable) {
    logger.error('Cannot fetch verification keys', { reason: error.message });
    return jsonResponse(
      503,
      { error: 'temporarily_unavailable', error_description: 'The key set is temporarily unavailable; retry later' },
      { 'Retry-After': RETRY_AFTER_SECONDS },
    );
  }
  const { name, message } = error instanceof Error ? error : { name: typeof error, message: '' };
  logger.error('Unexpected failure', { reason: name, detail: message });
  return jsonResponse(500, { error: 'server_error', error_description: 'Internal error' });
}
