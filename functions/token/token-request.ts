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
}

const RESOURCE = 'resource';
const RULES = { known: new Set(['grant_type', 'client_id', 'client_secret', 'scope', RESOURCE]), repeatable: new Set([RESOURCE]) };

/** Reads the request, refusing with invalid_request anything RFC 6749 §3.2 / §2.3 does not allow. */
export function readTokenRequest(event: ProxyEvent, issuerSettings: IssuerSettings): TokenRequest {
  const request = readClientFormRequest(event, RULES);
  return {
    grantType: request.parameter('grant_type'),
    client: request.client,
    scope: request.parameter('scope'),
    resources: request.values(RESOURCE),
    issuer: requestIssuer(issuerSettings, event),
  };
}
