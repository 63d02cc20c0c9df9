import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { readFormBody } from '#shared/http/form-body.js';
import type { FormParameters } from '#shared/http/form-urlencoded.js';
import { hasQueryParameters, singleHeader, type ProxyEvent } from '#shared/http/proxy-event.js';
import { CLIENT_AUTHENTICATION_PARAMETERS, readClientCredentials, type ClientAuthentication } from './client-credentials.js';

/**
 * A form POST from an authenticating client (token, revocation, introspection endpoints), read the same way
 * for all of them: parameters only in the body (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1), none repeated,
 * and the client's credentials in exactly one place (§2.3).
 */
export interface ClientFormRequest {
  client: ClientAuthentication;
  /** §3.2: "Parameters sent without a value MUST be treated as if they were omitted from the request." */
  parameter(name: string): string | undefined;
  /** Every non-empty value of a parameter the endpoint lets clients repeat. */
  values(name: string): string[];
}

export interface FormRules {
  /** Names the endpoint knows besides client authentication's: the only ones an error message may echo. */
  known: ReadonlySet<string>;
  /** The one kind of parameter a client may repeat (RFC 8707 §2 `resource`). */
  repeatable?: ReadonlySet<string>;
}

export function readClientFormRequest(event: ProxyEvent, rules: FormRules): ClientFormRequest {
  // §2.3.1: credentials "MUST NOT be included in the request URI"; §3.2: parameters go in the body. These
  // endpoints have no query of their own, so any query parameter is a misplaced one.
  if (hasQueryParameters(event)) throw new InvalidRequest('Parameters must be sent in the request body, not in the URI');
  const form = readFormBody(event);
  refuseRepeats(form, { ...rules, known: new Set([...rules.known, ...CLIENT_AUTHENTICATION_PARAMETERS]) });
  const parameter = (name: string) => {
    const value = form.get(name)?.[0];
    return value === '' ? undefined : value;
  };
  return {
    client: readClientCredentials(singleHeader(event, 'Authorization'), parameter('client_id'), parameter('client_secret'), {
      clientAssertionType: parameter('client_assertion_type'),
      clientAssertion: parameter('client_assertion'),
    }),
    parameter,
    values: (name) => (form.get(name) ?? []).filter((value) => value !== ''),
  };
}

/** §3.2: "Request and response parameters MUST NOT be included more than once" — unknown ones included. */
function refuseRepeats(form: FormParameters, { known, repeatable }: FormRules): void {
  for (const [name, values] of form) {
    if (values.length > 1 && !repeatable?.has(name)) {
      // Only names we know are echoed back: the description must not reflect arbitrary input.
      throw new InvalidRequest(known.has(name) ? `The ${name} parameter must not be repeated` : 'A request parameter is repeated');
    }
  }
}
