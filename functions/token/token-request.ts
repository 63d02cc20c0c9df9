import { InvalidRequest, ServerError, UNEXPECTED_CONDITION } from '#shared/errors/oauth-errors.js';
import { issuerFromRequest } from '#shared/oauth/issuer.js';
import {
  CLIENT_AUTHENTICATION_PARAMETERS,
  readClientCredentials,
  type ClientAuthentication,
} from '#shared/client-auth/client-credentials.js';
import { readFormBody } from '#shared/http/form-body.js';
import type { FormParameters } from '#shared/http/form-urlencoded.js';
import { hasQueryParameters, singleHeader, stageLocation, type ProxyEvent } from '#shared/http/proxy-event.js';

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
const KNOWN_PARAMETERS = new Set(['grant_type', ...CLIENT_AUTHENTICATION_PARAMETERS, 'scope', RESOURCE]);

/** Where the issuer comes from: ISSUER, or the region (AWS_REGION) with the request's API id and stage. */
export interface IssuerSettings {
  issuer: string | undefined;
  region: string | undefined;
}

/** Reads the request, refusing with invalid_request anything RFC 6749 §3.2 / §2.3 does not allow. */
export function readTokenRequest(event: ProxyEvent, issuerSettings: IssuerSettings): TokenRequest {
  // §2.3.1: credentials "MUST NOT be included in the request URI"; §3.2: parameters go in the body. The
  // endpoint URI has no query of its own, so any query parameter is a misplaced one.
  if (hasQueryParameters(event)) throw new InvalidRequest('Parameters must be sent in the request body, not in the URI');
  const form = readFormBody(event);
  refuseRepeats(form);
  const authorization = singleHeader(event, 'Authorization');
  const issuer = requestIssuer(issuerSettings, event);
  return {
    grantType: parameter(form, 'grant_type'),
    client: readClientCredentials(authorization, parameter(form, 'client_id'), parameter(form, 'client_secret'), {
      clientAssertionType: parameter(form, 'client_assertion_type'),
      clientAssertion: parameter(form, 'client_assertion'),
    }),
    scope: parameter(form, 'scope'),
    resources: (form.get(RESOURCE) ?? []).filter((value) => value !== ''),
    issuer,
    tokenEndpoint: tokenEndpointUrl(issuer),
  };
}

/** §3.2: "Request and response parameters MUST NOT be included more than once" — unknown ones included. */
function refuseRepeats(form: FormParameters): void {
  for (const [name, values] of form) {
    if (values.length > 1 && name !== RESOURCE) {
      // Only names we know are echoed back: the description must not reflect arbitrary input.
      throw new InvalidRequest(KNOWN_PARAMETERS.has(name) ? `The ${name} parameter must not be repeated` : 'A request parameter is repeated');
    }
  }
}

/** §3.2: "Parameters sent without a value MUST be treated as if they were omitted from the request." */
function parameter(form: FormParameters, name: string): string | undefined {
  const value = form.get(name)?.[0];
  return value === '' ? undefined : value;
}

/** Where discovery says the token endpoint is (functions/discovery/authorization-server-metadata.ts). */
export function tokenEndpointUrl(issuer: string): string {
  return `${issuer}/oauth2/token`;
}

function requestIssuer({ issuer: configured, region }: IssuerSettings, event: ProxyEvent): string {
  const issuer = issuerFromRequest(configured, stageLocation(event), region);
  if (issuer === undefined) {
    throw new ServerError(UNEXPECTED_CONDITION).withContext({ reason: 'issuer_unknown' });
  }
  return issuer;
}
