// AWS::Serverless::Api resources (and SAM's implicit ServerlessRestApi) as the local gateway needs them:
// stage, authorizers, gateway responses, method settings and binary media types.
import { InvalidTemplateError, UnsupportedFeatureError } from './errors.js';
import type { FunctionDescription } from './functions.js';
import { globalsFor, mergeGlobals } from './globals.js';
import { resolve, resolveString } from './intrinsics.js';
import { optionalField, optionalList, optionalNumber, optionalRecord, optionalString } from './shape.js';
import { IMPLICIT_API_ID, type DeclaredResource, type Stack } from './stack.js';

export interface LambdaAuthorizerDescription {
  name: string;
  /** SAM's FunctionPayloadType. */
  type: 'TOKEN' | 'REQUEST';
  /** The function behind FunctionArn. */
  functionLogicalId: string;
  /** TOKEN: the request header carrying the token (Identity.Header, default Authorization). */
  identityHeader: string;
  /** Identity.ValidationExpression: tokens not matching it get 401 without invoking the authorizer. */
  validationExpression?: string;
  /** Identity.ReauthorizeEvery: seconds a decision is cached per token; 0 turns the cache off. */
  reauthorizeEverySeconds: number;
}

/** Where a gateway response can take a header value from besides a literal ("Parameter mapping source reference for REST APIs"). */
export type RequestParameterSource = 'header' | 'multivalueheader' | 'path' | 'querystring' | 'multivaluequerystring' | 'stageVariables';

/** A header of a gateway response: a literal (`'value'` in the template) or a value of the request. */
export type GatewayHeaderValue = { literal: string } | { source: RequestParameterSource; name: string };

export interface GatewayResponseDescription {
  statusCode?: number;
  headers: Record<string, GatewayHeaderValue>;
  /** Body templates by content type, e.g. `application/json`. */
  templates: Record<string, string>;
}

export interface MethodSettingDescription {
  resourcePath: string;
  httpMethod: string;
  /** The remaining settings as resolved (ThrottlingRateLimit, MetricsEnabled, ...). */
  settings: Record<string, unknown>;
}

export interface ApiDescription {
  logicalId: string;
  /** The API id (what `Ref` gives), part of every execute-api ARN. */
  id: string;
  stageName: string;
  /** True for SAM's ServerlessRestApi, made for events that name no RestApiId. */
  implicit: boolean;
  /** An authorizer name (possibly AWS_IAM or a Cognito one), or undefined when routes are open unless they name one. */
  defaultAuthorizer?: string;
  /** The Lambda authorizers, by name. */
  authorizers: Record<string, LambdaAuthorizerDescription>;
  /** By response type: UNAUTHORIZED, ACCESS_DENIED, DEFAULT_4XX, ... */
  gatewayResponses: Record<string, GatewayResponseDescription>;
  methodSettings: MethodSettingDescription[];
  /** Content types whose bodies API Gateway passes base64-encoded (SAM's `~1` unescaped to `/`). */
  binaryMediaTypes: string[];
  /** AccessLogSetting.Format: the stage's access-log line, `$context.*` variables and all. */
  accessLogFormat?: string;
}

const DEFAULT_REAUTHORIZE_SECONDS = 300;

export function describeApis(stack: Stack, functions: Record<string, FunctionDescription>): Record<string, ApiDescription> {
  const globals = globalsFor(stack.document.body, 'Api');
  const apis: Record<string, ApiDescription> = {};
  for (const resource of stack.resources) {
    if (resource.type !== 'AWS::Serverless::Api' || !stack.exists(resource)) continue;
    apis[resource.logicalId] = describeApi(resource, mergeGlobals(globals, resource.properties) as Record<string, unknown>, stack, functions);
  }
  const usesImplicit = Object.values(functions).some((fn) => fn.apiEvents.some((event) => event.restApiLogicalId === IMPLICIT_API_ID));
  if (usesImplicit) {
    const implicit: DeclaredResource = { logicalId: IMPLICIT_API_ID, type: 'AWS::Serverless::Api', properties: {}, metadata: {} };
    apis[IMPLICIT_API_ID] = { ...describeApi(implicit, { ...globals, StageName: 'Prod' }, stack, functions), implicit: true };
  }
  for (const fn of Object.values(functions)) {
    for (const event of fn.apiEvents) {
      if (!apis[event.restApiLogicalId]) {
        throw new InvalidTemplateError(
          `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties.RestApiId: "${event.restApiLogicalId}" is not an AWS::Serverless::Api that exists`,
        );
      }
    }
  }
  return apis;
}

function describeApi(
  resource: DeclaredResource,
  properties: Record<string, unknown>,
  stack: Stack,
  functions: Record<string, FunctionDescription>,
): ApiDescription {
  const at = `Resources.${resource.logicalId}.Properties`;
  const { scope } = stack;
  const auth = optionalRecord(properties.Auth, `${at}.Auth`);
  const authorizers: Record<string, LambdaAuthorizerDescription> = {};
  for (const [name, raw] of Object.entries(optionalRecord(auth.Authorizers, `${at}.Auth.Authorizers`))) {
    const authorizer = optionalRecord(raw, `${at}.Auth.Authorizers.${name}`);
    // Cognito authorizers (UserPoolArn) are not described; the gateway refuses routes that use them.
    if (authorizer.FunctionArn === undefined) continue;
    authorizers[name] = describeAuthorizer(name, authorizer, stack, functions, `${at}.Auth.Authorizers.${name}`);
  }
  const defaultAuthorizer = optionalString(resolve(auth.DefaultAuthorizer, scope, `${at}.Auth.DefaultAuthorizer`), `${at}.Auth.DefaultAuthorizer`);

  const gatewayResponses: Record<string, GatewayResponseDescription> = {};
  const responses = optionalRecord(resolve(properties.GatewayResponses, scope, `${at}.GatewayResponses`), `${at}.GatewayResponses`);
  for (const [type, raw] of Object.entries(responses)) {
    gatewayResponses[type] = describeGatewayResponse(optionalRecord(raw, `${at}.GatewayResponses.${type}`), `${at}.GatewayResponses.${type}`);
  }

  const methodSettings = optionalList(resolve(properties.MethodSettings, scope, `${at}.MethodSettings`), `${at}.MethodSettings`).map(
    (raw, i) => {
      const { ResourcePath, HttpMethod, ...settings } = optionalRecord(raw, `${at}.MethodSettings[${i}]`);
      return { resourcePath: String(ResourcePath ?? '/*'), httpMethod: String(HttpMethod ?? '*'), settings };
    },
  );

  const binaryMediaTypes = optionalList(resolve(properties.BinaryMediaTypes, scope, `${at}.BinaryMediaTypes`), `${at}.BinaryMediaTypes`).map(
    (type) => String(type).replaceAll('~1', '/'),
  );

  const accessLog = optionalRecord(resolve(properties.AccessLogSetting, scope, `${at}.AccessLogSetting`), `${at}.AccessLogSetting`);

  return {
    logicalId: resource.logicalId,
    id: scope.resource(resource.logicalId, at)!.ref,
    stageName: resolveString(properties.StageName, scope, `${at}.StageName`),
    implicit: false,
    ...optionalField('defaultAuthorizer', defaultAuthorizer === 'NONE' ? undefined : defaultAuthorizer),
    authorizers,
    gatewayResponses,
    methodSettings,
    binaryMediaTypes,
    ...optionalField('accessLogFormat', optionalString(accessLog.Format, `${at}.AccessLogSetting.Format`)),
  };
}

function describeAuthorizer(
  name: string,
  authorizer: Record<string, unknown>,
  stack: Stack,
  functions: Record<string, FunctionDescription>,
  at: string,
): LambdaAuthorizerDescription {
  const arn = resolveString(authorizer.FunctionArn, stack.scope, `${at}.FunctionArn`);
  const target = Object.values(functions).find((fn) => fn.arn === arn);
  if (!target) throw new InvalidTemplateError(`${at}.FunctionArn: "${arn}" is not the ARN of a function of this template`);
  const type = optionalString(resolve(authorizer.FunctionPayloadType, stack.scope, `${at}.FunctionPayloadType`), at) ?? 'TOKEN';
  if (type !== 'TOKEN' && type !== 'REQUEST') throw new InvalidTemplateError(`${at}.FunctionPayloadType: "${type}" is not TOKEN or REQUEST`);
  const identity = optionalRecord(resolve(authorizer.Identity, stack.scope, `${at}.Identity`), `${at}.Identity`);
  return {
    name,
    type,
    functionLogicalId: target.logicalId,
    identityHeader: optionalString(identity.Header, `${at}.Identity.Header`) ?? 'Authorization',
    ...optionalField('validationExpression', optionalString(identity.ValidationExpression, `${at}.Identity.ValidationExpression`)),
    reauthorizeEverySeconds: optionalNumber(identity.ReauthorizeEvery, `${at}.Identity.ReauthorizeEvery`) ?? DEFAULT_REAUTHORIZE_SECONDS,
  };
}

function describeGatewayResponse(response: Record<string, unknown>, at: string): GatewayResponseDescription {
  const parameters = optionalRecord(response.ResponseParameters, `${at}.ResponseParameters`);
  const headers: Record<string, GatewayHeaderValue> = {};
  for (const [name, raw] of Object.entries(optionalRecord(parameters.Headers, `${at}.ResponseParameters.Headers`))) {
    headers[name] = headerValue(String(raw), `${at}.ResponseParameters.Headers.${name}`);
  }
  const templates: Record<string, string> = {};
  for (const [type, raw] of Object.entries(optionalRecord(response.ResponseTemplates, `${at}.ResponseTemplates`))) {
    templates[type] = String(raw);
  }
  return {
    ...optionalField('statusCode', optionalNumber(response.StatusCode, `${at}.StatusCode`)),
    headers,
    templates,
  };
}

// Header values are API Gateway mapping expressions: `'text'` is a literal; otherwise a value of the method
// request or a stage variable, the sources a gateway response may map from
// (x-amazon-apigateway-gateway-responses.responseParameters; "Parameter mapping source reference for REST APIs").
function headerValue(expression: string, at: string): GatewayHeaderValue {
  if (expression.length >= 2 && expression.startsWith("'") && expression.endsWith("'")) return { literal: expression.slice(1, -1) };
  const request = /^method\.request\.(header|multivalueheader|path|querystring|multivaluequerystring)\.([a-zA-Z0-9._$-]+)$/.exec(expression);
  if (request) return { source: request[1] as RequestParameterSource, name: request[2]! };
  const stageVariable = /^stageVariables\.([a-zA-Z0-9._$-]+)$/.exec(expression);
  if (stageVariable) return { source: 'stageVariables', name: stageVariable[1]! };
  throw new UnsupportedFeatureError(`${at}: the mapping expression "${expression}" is not a literal, a method request value or a stage variable`);
}

