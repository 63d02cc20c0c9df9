// The answers API Gateway gives on its own (auth failures, unknown routes, failed integrations), with the
// template's GatewayResponses applied: status override, extra headers and the body template for
// application/json, in which `$context.error.messageString` is the message as a JSON string
// ("Gateway response types for API Gateway"; "Set up a gateway response for a REST API").
import type { ApiDescription, RequestParameterSource } from '../template/index.js';

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'BAD_REQUEST';

interface Default {
  statusCode: number;
  message: string | null;
  errorType?: string;
  /** AWS's default body template for the type (spacing and key case as AWS sends them). */
  template: string;
}

const JSON_MESSAGE = '{"message":$context.error.messageString}';
const JSON_MESSAGE_SPACED = '{"message": $context.error.messageString}';

const DEFAULTS: Record<GatewayResponseType, Default> = {
  UNAUTHORIZED: { statusCode: 401, message: 'Unauthorized', errorType: 'UnauthorizedException', template: JSON_MESSAGE },
  ACCESS_DENIED: {
    statusCode: 403,
    message: 'User is not authorized to access this resource',
    errorType: 'AccessDeniedException',
    template: '{"Message":$context.error.messageString}',
  },
  MISSING_AUTHENTICATION_TOKEN: {
    statusCode: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
    template: JSON_MESSAGE,
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    statusCode: 500,
    message: null,
    errorType: 'AuthorizerConfigurationException',
    template: JSON_MESSAGE_SPACED,
  },
  // Documented as "a custom or Amazon Cognito authorizer failed to authenticate the caller"; a Lambda
  // authorizer that throws or times out yields AUTHORIZER_CONFIGURATION_ERROR instead (token-authorizer.ts).
  AUTHORIZER_FAILURE: { statusCode: 500, message: null, errorType: 'AuthorizerFailureException', template: JSON_MESSAGE_SPACED },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Too Long', template: JSON_MESSAGE },
  // Past the stage's or method's throttling limits (MethodSettings), before the authorizer and the integration.
  THROTTLED: { statusCode: 429, message: 'Too Many Requests', template: JSON_MESSAGE },
  // A Lambda error or a malformed proxy response: AWS answers 502 and applies DEFAULT_5XX customisations.
  INTEGRATION_FAILURE: { statusCode: 502, message: 'Internal server error', errorType: 'InternalServerErrorException', template: JSON_MESSAGE_SPACED },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: 'Endpoint request timed out', template: JSON_MESSAGE_SPACED },
  BAD_REQUEST: { statusCode: 400, message: 'Bad Request', template: JSON_MESSAGE },
};

// Types AWS defines as customisable by name; the others take only the DEFAULT_4XX/5XX customisation.
const NAMED_TYPES = new Set<string>([
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'MISSING_AUTHENTICATION_TOKEN',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'REQUEST_TOO_LARGE',
  'THROTTLED',
  'INTEGRATION_TIMEOUT',
]);

export interface GatewayResponseContext {
  requestId: string;
  extendedRequestId: string;
  /**
   * A value of the method request (`method.request.header.X`, `…path.X`, `…querystring.X`, their multi-value
   * forms) or a stage variable, for header values mapped from the request; undefined when absent.
   */
  requestParameter(source: RequestParameterSource, name: string): string | undefined;
  /**
   * Other `$context.*` variables available to body templates, `authorizer.<key>` among them when a Lambda
   * authorizer answered with a policy ("Variables for data transformations": $context.authorizer.property).
   */
  variables: Readonly<Record<string, string>>;
}

export interface GatewayReply {
  statusCode: number;
  headers: [string, string][];
  body: string;
}

/** `message` replaces the type's default message (e.g. the explicit-deny wording of ACCESS_DENIED). */
export function gatewayResponse(
  type: GatewayResponseType,
  api: ApiDescription | undefined,
  context: GatewayResponseContext,
  message?: string,
): GatewayReply {
  const defaults = DEFAULTS[type];
  const errorMessage = message ?? defaults.message;
  const family = defaults.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  // A customised type replaces the DEFAULT_4XX/5XX customisation; the family one covers the rest.
  const configured = (NAMED_TYPES.has(type) ? api?.gatewayResponses[type] : undefined) ?? api?.gatewayResponses[family];

  const headers: [string, string][] = [['Content-Type', 'application/json']];
  if (defaults.errorType) headers.push(['x-amzn-ErrorType', defaults.errorType]);
  for (const [name, value] of Object.entries(configured?.headers ?? {})) {
    const text = 'literal' in value ? value.literal : context.requestParameter(value.source, value.name);
    if (text !== undefined) headers.push([name, text]);
  }
  const template = configured?.templates['application/json'] ?? defaults.template;
  const variables: Record<string, string> = {
    ...context.variables,
    requestId: context.requestId,
    extendedRequestId: context.extendedRequestId,
    'error.message': errorMessage ?? '',
    'error.messageString': JSON.stringify(errorMessage),
    'error.responseType': type,
  };
  return { statusCode: configured?.statusCode ?? defaults.statusCode, headers, body: renderTemplate(template, variables) };
}

// Only `$context.x.y` references are rendered (no VTL directives); unknown variables render empty, as
// API Gateway renders unset context variables. For `authorizer.<property>` AWS supports only `_` as a
// special character in the property name, which the pattern below respects.
function renderTemplate(template: string, variables: Readonly<Record<string, string>>): string {
  return template.replace(/\$(?:\{context\.([A-Za-z0-9_.]+)\}|context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))/g, (_m, braced?: string, bare?: string) => {
    return variables[(braced ?? bare)!] ?? '';
  });
}
