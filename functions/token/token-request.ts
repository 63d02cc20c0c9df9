import type { ClientAuthentication } from '#shared/client-auth/client-credentials.js';
import { readClientFormRequest } from '#shared/client-auth/client-form-request.js';
import { requestIssuer, type IssuerSettings } from '#shared/http/request-issuer.js';
import type { ProxyEvent } from '#shared/http/proxy-event.js';

export type { IssuerSettings } from '#shared/http/request-issuer.js';

/** A syntactically valid token request (RFC 6749 §4.4.2), with values as sent. */
export interface TokenRequest {
  grantType: string | undefined;
  client: ClientAuthentication;
  scope: string | undefined;
  /** RFC 8707 `resource` values, empty ones left out; the one parameter RFC 8707 §2 lets a client repeat. */
  resources: readonly string[];
  /** The issuer this request reached (RFC 9068 iss). */
  issuer: string;
  /** This endpoint's URL under that issuer, as discovery publishes it (RFC 8414 token_endpoint). */
  tokenEndpoint: string;
}

const RESOURCE = 'resource';
const RULES = { known: new Set(['grant_type', 'scope', RESOURCE]), repeatable: new Set([RESOURCE]) };

/** Reads the request, refusing with invalid_request anything RFC 6749 §3.2 / §2.3 does not allow. */
export function readTokenRequest(event: ProxyEvent, issuerSettings: IssuerSettings): TokenRequest {
  const request = readClientFormRequest(event, RULES);
  const issuer = requestIssuer(issuerSettings, event);
  return {
    grantType: request.parameter('grant_type'),
    client: request.client,
    scope: request.parameter('scope'),
    resources: request.values(RESOURCE),
    issuer,
    tokenEndpoint: tokenEndpointUrl(issuer),
  };
}

/** Where discovery says the token endpoint is (functions/discovery/authorization-server-metadata.ts). */
export function tokenEndpointUrl(issuer: string): string {
  return `${issuer}/oauth2/token`;
}
