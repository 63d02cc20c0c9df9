// One deployment of the API: the template's routes and authorizers bound to a function runtime. A reload
// builds a new deployment and swaps it in, like a redeploy to the stage (which also empties the authorizer
// cache), while requests already running finish on the old one.
import { existsSync } from 'node:fs';
import { FunctionRuntime, type RuntimeOptions } from '../runtime/function-runtime.js';
import type { LogSink } from '../runtime/log-sink.js';
import { GATEWAY_LOG_SOURCE } from '../runtime/log-sink.js';
import { UnsupportedFeatureError, type ApiDescription, type LambdaAuthorizerDescription, type LoadedTemplate } from '../template/index.js';
import { RouteTable } from './routes.js';
import { TokenAuthorizers } from './token-authorizer.js';

export interface Deployment {
  template: LoadedTemplate;
  api: ApiDescription;
  routes: RouteTable;
  runtime: FunctionRuntime;
  authorizers: TokenAuthorizers;
  /** Requests being served by this deployment; a reload lets them finish before stopping its functions. */
  inFlight: Set<Promise<void>>;
}

export interface DeploymentOptions extends RuntimeOptions {
  log: LogSink;
  /** Which API to serve when the template has several. */
  apiLogicalId?: string;
}

export class GatewayConfigurationError extends Error {
  override readonly name = 'GatewayConfigurationError';
}

export function deploy(template: LoadedTemplate, options: DeploymentOptions): Deployment {
  const api = chooseApi(template, options.apiLogicalId);
  const routes = new RouteTable();
  for (const fn of Object.values(template.functions)) {
    for (const event of fn.apiEvents) {
      if (event.restApiLogicalId !== api.logicalId) continue;
      const authorizer = authorizerOf(api, event.authorizer, `${fn.logicalId}.Events.${event.name}`);
      routes.add(event.path, event.method, { functionId: fn.logicalId, ...(authorizer ? { authorizer: authorizer.name } : {}) });
    }
    if (fn.apiEvents.length > 0 && !existsSync(fn.entry)) {
      options.log(GATEWAY_LOG_SOURCE, `warning: ${fn.logicalId} has no source at ${fn.entry}; its routes will answer 502`, 'stderr');
    }
  }
  const runtime = new FunctionRuntime(template, options);
  return {
    template,
    api,
    routes,
    runtime,
    authorizers: new TokenAuthorizers((id, event) => runtime.invoke(id, event)),
    inFlight: new Set(),
  };
}

function chooseApi(template: LoadedTemplate, logicalId: string | undefined): ApiDescription {
  const apis = Object.values(template.apis);
  if (logicalId !== undefined) {
    const api = template.apis[logicalId];
    if (!api) throw new GatewayConfigurationError(`The template has no API "${logicalId}"; it has: ${apis.map((a) => a.logicalId).join(', ') || 'none'}`);
    return api;
  }
  if (apis.length !== 1) {
    throw new GatewayConfigurationError(
      apis.length === 0 ? 'The template declares no API events to serve' : `The template has several APIs (${apis.map((a) => a.logicalId).join(', ')}); pass apiLogicalId`,
    );
  }
  return apis[0]!;
}

function authorizerOf(api: ApiDescription, eventAuthorizer: string | undefined, where: string): LambdaAuthorizerDescription | undefined {
  const name = eventAuthorizer ?? api.defaultAuthorizer;
  if (name === undefined || name === 'NONE') return undefined;
  const authorizer = api.authorizers[name];
  if (!authorizer) throw new UnsupportedFeatureError(`${where}: authorizer "${name}" is not a Lambda authorizer of ${api.logicalId}`);
  if (authorizer.type !== 'TOKEN') throw new UnsupportedFeatureError(`${where}: ${authorizer.type} authorizers are not emulated locally`);
  return authorizer;
}
