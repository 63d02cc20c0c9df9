// AWS::Serverless::Function resources as the local runtime needs them: which file and export to load,
// the environment Lambda would give the function, its limits, and the API events that route to it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidTemplateError } from './errors.js';
import { resolve, resolveString, scalarToString } from './intrinsics.js';
import { globalsFor, mergeGlobals } from './globals.js';
import { isRecord, optionalField, optionalList, optionalNumber, optionalRecord, optionalString, requiredString } from './shape.js';
import { IMPLICIT_API_ID, type DeclaredResource, type Stack } from './stack.js';

export interface ApiEventDescription {
  /** The event's key under Events. */
  name: string;
  /** Resource path template, e.g. `/products/{id}`. */
  path: string;
  /** Upper-case HTTP method; `ANY` matches every method. */
  method: string;
  /** Logical id of the API the route belongs to (SAM's implicit `ServerlessRestApi` when none is named). */
  restApiLogicalId: string;
  /** `Auth.Authorizer` of the event: an authorizer name, `NONE`, or undefined for the API's default. */
  authorizer?: string;
}

export interface FunctionDescription {
  logicalId: string;
  /** What `Ref` gives: the function name (also the Lambda context's functionName). */
  functionName: string;
  arn: string;
  /** The Handler property as written, e.g. `handler.handler`. */
  handler: string;
  /** The export the runtime calls: the part of Handler after the last dot. */
  handlerExport: string;
  /** Absolute path of the source module to load. */
  entry: string;
  /** Globals.Function.Environment merged with the function's own; values are strings, as Lambda has them. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySizeMb: number;
  runtime?: string;
  apiEvents: ApiEventDescription[];
}

// Lambda's defaults when neither the function nor Globals sets them.
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

// Lambda refuses to deploy a function that sets any of these (they are set by the service).
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export function describeFunctions(stack: Stack): Record<string, FunctionDescription> {
  const globals = globalsFor(stack.document.body, 'Function');
  const functions: Record<string, FunctionDescription> = {};
  for (const resource of stack.resources) {
    if (resource.type !== 'AWS::Serverless::Function' || !stack.exists(resource)) continue;
    functions[resource.logicalId] = describeFunction(resource, globals, stack);
  }
  return functions;
}

function describeFunction(resource: DeclaredResource, globals: Record<string, unknown>, stack: Stack): FunctionDescription {
  const { logicalId } = resource;
  const at = `Resources.${logicalId}.Properties`;
  const properties = mergeGlobals(globals, resource.properties) as Record<string, unknown>;
  const { scope } = stack;
  const self = scope.resource(logicalId, at)!;

  const handler = requiredString(resolve(properties.Handler, scope, `${at}.Handler`), `${at}.Handler`);
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) throw new InvalidTemplateError(`${at}.Handler: "${handler}" is not <file>.<export>`);
  const codeUri = resolve(properties.CodeUri, scope, `${at}.CodeUri`);
  // An S3 location cannot be run locally; the source next to the template is what `sam build` would use.
  const codeDir = path.resolve(stack.document.dir, typeof codeUri === 'string' ? codeUri : '.');

  return {
    logicalId,
    functionName: self.ref,
    arn: self.attributes?.Arn ?? '',
    handler,
    handlerExport: handler.slice(dot + 1),
    entry: entryOf(resource, codeDir, handler.slice(0, dot), stack),
    environment: environmentOf(properties.Environment, stack, `${at}.Environment`),
    timeoutSeconds: optionalNumber(resolve(properties.Timeout, scope, `${at}.Timeout`), `${at}.Timeout`) ?? DEFAULT_TIMEOUT_SECONDS,
    memorySizeMb: optionalNumber(resolve(properties.MemorySize, scope, `${at}.MemorySize`), `${at}.MemorySize`) ?? DEFAULT_MEMORY_MB,
    ...optionalField('runtime', optionalString(resolve(properties.Runtime, scope, `${at}.Runtime`), `${at}.Runtime`)),
    apiEvents: apiEventsOf(properties.Events, stack, `${at}.Events`),
  };
}

// With `BuildMethod: esbuild`, SAM bundles EntryPoints (relative to CodeUri); that source is what we load.
function entryOf(resource: DeclaredResource, codeDir: string, handlerFile: string, stack: Stack): string {
  const at = `Resources.${resource.logicalId}.Metadata.BuildProperties.EntryPoints`;
  const buildProperties = optionalRecord(resource.metadata.BuildProperties, `Resources.${resource.logicalId}.Metadata.BuildProperties`);
  const entryPoints = optionalList(resolve(buildProperties.EntryPoints, stack.scope, at), at);
  if (entryPoints.length > 0) return path.resolve(codeDir, requiredString(entryPoints[0], `${at}[0]`));
  const base = path.resolve(codeDir, handlerFile);
  const candidates = SOURCE_EXTENSIONS.map((extension) => base + extension);
  return candidates.find((candidate) => existsSync(candidate)) ?? `${base}.js`;
}

function environmentOf(environment: unknown, stack: Stack, at: string): Record<string, string> {
  const variables = optionalRecord(resolve(optionalRecord(environment, at).Variables, stack.scope, `${at}.Variables`), `${at}.Variables`);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (RESERVED_VARIABLES.has(name)) throw new InvalidTemplateError(`${at}.Variables.${name}: is reserved by Lambda`);
    result[name] = scalarToString(value, `${at}.Variables.${name}`);
  }
  return result;
}

function apiEventsOf(events: unknown, stack: Stack, at: string): ApiEventDescription[] {
  const described: ApiEventDescription[] = [];
  for (const [name, raw] of Object.entries(optionalRecord(events, at))) {
    if (!isRecord(raw) || raw.Type !== 'Api') continue;
    const where = `${at}.${name}.Properties`;
    const properties = optionalRecord(raw.Properties, where);
    const auth = optionalRecord(resolve(properties.Auth, stack.scope, `${where}.Auth`), `${where}.Auth`);
    described.push({
      name,
      path: resolveString(properties.Path, stack.scope, `${where}.Path`),
      method: resolveString(properties.Method, stack.scope, `${where}.Method`).toUpperCase(),
      restApiLogicalId: restApiOf(properties.RestApiId, `${where}.RestApiId`),
      ...optionalField('authorizer', optionalString(auth.Authorizer, `${where}.Auth.Authorizer`)),
    });
  }
  return described;
}

// SAM requires RestApiId to be a Ref to an API of the same template; resolving it would give the physical
// id, so the logical id is read before resolution.
function restApiOf(raw: unknown, at: string): string {
  if (raw === undefined) return IMPLICIT_API_ID;
  if (isRecord(raw) && typeof raw.Ref === 'string') return raw.Ref;
  throw new InvalidTemplateError(`${at}: must be !Ref to an AWS::Serverless::Api of this template`);
}
