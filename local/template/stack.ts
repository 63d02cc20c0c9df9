// The evaluation context of one template + one set of inputs: parameter values, pseudo parameters,
// conditions (evaluated lazily, once each), which resources exist, and what each resource stands for
// locally. Everything the describers resolve goes through the ResolveScope built here.
import { createHash } from 'node:crypto';
import type { TemplateDocument } from './document.js';
import {
  AbsentResourceError,
  InvalidTemplateError,
  MissingResourceValueError,
  RuleAssertionError,
  UnknownReferenceError,
} from './errors.js';
import { resolve, resolveBoolean, resolveString, type ParameterValue, type ResolveScope, type ResourceValue } from './intrinsics.js';
import { resolveParameters, type ParameterDescription, type ParameterOverride } from './parameters.js';
import { isRecord, optionalList, optionalRecord, optionalString } from './shape.js';

export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
  partition: string;
  urlSuffix: string;
}

export interface ResolutionInputs {
  /** Values replacing the template's parameter defaults (like `sam deploy --parameter-overrides`). */
  parameterOverrides?: Readonly<Record<string, ParameterOverride>>;
  pseudoParameters?: Partial<PseudoParameters>;
  /**
   * Local stand-ins for resources, by logical id: e.g. `SigningKeyA: { ref: keyId, attributes: { Arn } }`.
   * Functions, APIs, tables and log groups get a derived default (name from the stack name and logical id);
   * any other referenced resource must be given here.
   */
  resources?: Readonly<Record<string, ResourceValue>>;
}

export const DEFAULT_PSEUDO_PARAMETERS: PseudoParameters = {
  region: 'us-east-1',
  accountId: '123456789012',
  stackName: 'local',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

/** SAM's name for the API it creates for `Api` events that name no RestApiId. */
export const IMPLICIT_API_ID = 'ServerlessRestApi';

export interface DeclaredResource {
  logicalId: string;
  type: string;
  condition?: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface Stack {
  document: TemplateDocument;
  pseudo: PseudoParameters;
  parameters: Record<string, ParameterDescription>;
  scope: ResolveScope;
  /** Every declared resource, present or not. */
  resources: DeclaredResource[];
  exists(resource: DeclaredResource): boolean;
  /** The truth value of every declared condition. */
  conditions(): Record<string, boolean>;
}

export function buildStack(document: TemplateDocument, inputs: ResolutionInputs = {}): Stack {
  const body = document.body;
  const pseudo: PseudoParameters = { ...DEFAULT_PSEUDO_PARAMETERS, ...inputs.pseudoParameters };
  const parameters = resolveParameters(body.Parameters, inputs.parameterOverrides ?? {});
  const conditionSection = optionalRecord(body.Conditions, 'Conditions');
  const resources = declaredResources(body);
  const byId = new Map(resources.map((resource) => [resource.logicalId, resource]));
  const supplied = inputs.resources ?? {};
  for (const logicalId of Object.keys(supplied)) {
    if (!byId.has(logicalId) && logicalId !== IMPLICIT_API_ID) {
      throw new UnknownReferenceError(logicalId, 'inputs.resources (the template declares no such resource)');
    }
  }

  const conditionValues = new Map<string, boolean>();
  const evaluating = new Set<string>();
  const defaults = new Map<string, ResourceValue>();
  const derivingDefault = new Set<string>();

  const pseudoValues: Record<string, ParameterValue> = {
    'AWS::Region': pseudo.region,
    'AWS::AccountId': pseudo.accountId,
    'AWS::StackName': pseudo.stackName,
    'AWS::Partition': pseudo.partition,
    'AWS::URLSuffix': pseudo.urlSuffix,
    'AWS::StackId': `arn:${pseudo.partition}:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/${stableUuid(pseudo.stackName)}`,
    'AWS::NotificationARNs': [],
  };

  const scope: ResolveScope = {
    region: pseudo.region,
    mappings: optionalRecord(body.Mappings, 'Mappings'),
    pseudo: (name) => pseudoValues[name],
    parameter: (name) => parameters[name]?.value,
    condition(name, location) {
      const known = conditionValues.get(name);
      if (known !== undefined) return known;
      if (!(name in conditionSection)) throw new UnknownReferenceError(`condition ${name}`, location);
      if (evaluating.has(name)) throw new InvalidTemplateError(`Conditions.${name}: refers to itself`);
      evaluating.add(name);
      const value = resolveBoolean(conditionSection[name], scope, `Conditions.${name}`);
      evaluating.delete(name);
      conditionValues.set(name, value);
      return value;
    },
    resource(logicalId, location) {
      const resource = byId.get(logicalId);
      if (!resource) {
        if (logicalId === IMPLICIT_API_ID && usesImplicitApi(resources)) return supplied[logicalId] ?? defaultFor(implicitApi());
        return undefined;
      }
      if (resource.condition && !scope.condition(resource.condition, location)) {
        throw new AbsentResourceError(logicalId, resource.condition, location);
      }
      return supplied[logicalId] ?? defaultFor(resource, location);
    },
  };

  function defaultFor(resource: DeclaredResource, location = `Resources.${resource.logicalId}`): ResourceValue {
    const cached = defaults.get(resource.logicalId);
    if (cached) return cached;
    if (derivingDefault.has(resource.logicalId)) {
      throw new InvalidTemplateError(`Resources.${resource.logicalId}: its name refers to itself`);
    }
    derivingDefault.add(resource.logicalId);
    const value = deriveDefault(resource, scope, pseudo, location);
    derivingDefault.delete(resource.logicalId);
    defaults.set(resource.logicalId, value);
    return value;
  }

  const stack: Stack = {
    document,
    pseudo,
    parameters,
    scope,
    resources,
    exists: (resource) => !resource.condition || scope.condition(resource.condition, `Resources.${resource.logicalId}.Condition`),
    conditions: () => Object.fromEntries(Object.keys(conditionSection).map((name) => [name, scope.condition(name, 'Conditions')])),
  };
  checkRules(body.Rules, scope);
  return stack;
}

function declaredResources(body: Record<string, unknown>): DeclaredResource[] {
  return Object.entries(optionalRecord(body.Resources, 'Resources')).map(([logicalId, raw]) => {
    const location = `Resources.${logicalId}`;
    if (!isRecord(raw) || typeof raw.Type !== 'string') throw new InvalidTemplateError(`${location}: needs a Type`);
    const condition = optionalString(raw.Condition, `${location}.Condition`);
    return {
      logicalId,
      type: raw.Type,
      ...(condition ? { condition } : {}),
      properties: optionalRecord(raw.Properties, `${location}.Properties`),
      metadata: optionalRecord(raw.Metadata, `${location}.Metadata`),
    };
  });
}

function usesImplicitApi(resources: DeclaredResource[]): boolean {
  return resources.some(
    (resource) =>
      resource.type === 'AWS::Serverless::Function' &&
      Object.values(optionalRecord(resource.properties.Events, 'Events')).some(
        (event) => isRecord(event) && event.Type === 'Api' && isRecord(event.Properties) && event.Properties.RestApiId === undefined,
      ),
  );
}

function implicitApi(): DeclaredResource {
  return { logicalId: IMPLICIT_API_ID, type: 'AWS::Serverless::Api', properties: { StageName: 'Prod' }, metadata: {} };
}

// Deterministic stand-ins, so URLs, issuers and ARNs stay the same across restarts of the local stack.
function deriveDefault(resource: DeclaredResource, scope: ResolveScope, pseudo: PseudoParameters, location: string): ResourceValue {
  const { logicalId, properties } = resource;
  const arnPrefix = (service: string) => `arn:${pseudo.partition}:${service}:${pseudo.region}:${pseudo.accountId}`;
  const named = (property: string, fallback: string) =>
    properties[property] === undefined ? fallback : resolveString(properties[property], scope, `Resources.${logicalId}.Properties.${property}`);
  switch (resource.type) {
    case 'AWS::Serverless::Function':
    case 'AWS::Lambda::Function': {
      // Like `sam local`, a function is known by its logical id unless it names itself.
      const name = named('FunctionName', logicalId);
      return { ref: name, attributes: { Arn: `${arnPrefix('lambda')}:function:${name}` } };
    }
    case 'AWS::Serverless::Api':
    case 'AWS::ApiGateway::RestApi': {
      const id = createHash('sha256').update(`${pseudo.stackName}/${logicalId}`).digest('hex').slice(0, 10);
      return { ref: id, attributes: { RootResourceId: id.slice(0, 6) } };
    }
    case 'AWS::DynamoDB::Table': {
      const name = named('TableName', `${pseudo.stackName}-${logicalId}`);
      return { ref: name, attributes: { Arn: `${arnPrefix('dynamodb')}:table/${name}` } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName', `${pseudo.stackName}-${logicalId}`);
      return { ref: name, attributes: { Arn: `${arnPrefix('logs')}:log-group:${name}:*` } };
    }
    // Operations resources have no local counterpart; outputs naming them still resolve.
    case 'AWS::SNS::Topic': {
      const name = named('TopicName', `${pseudo.stackName}-${logicalId}`);
      return { ref: `${arnPrefix('sns')}:${name}`, attributes: { TopicName: name, TopicArn: `${arnPrefix('sns')}:${name}` } };
    }
    case 'AWS::CloudWatch::Dashboard':
      return { ref: named('DashboardName', `${pseudo.stackName}-${logicalId}`), attributes: {} };
    case 'AWS::IAM::ManagedPolicy': {
      const name = named('ManagedPolicyName', `${pseudo.stackName}-${logicalId}`);
      return { ref: `arn:${pseudo.partition}:iam::${pseudo.accountId}:policy/${name}`, attributes: { PolicyArn: `arn:${pseudo.partition}:iam::${pseudo.accountId}:policy/${name}` } };
    }
    default:
      throw new MissingResourceValueError(
        logicalId,
        `no local value was given for this ${resource.type}; pass inputs.resources.${logicalId} = { ref, attributes }`,
        location,
      );
  }
}

function checkRules(section: unknown, scope: ResolveScope): void {
  for (const [name, raw] of Object.entries(optionalRecord(section, 'Rules'))) {
    const rule = optionalRecord(raw, `Rules.${name}`);
    if (rule.RuleCondition !== undefined && !resolveBoolean(rule.RuleCondition, scope, `Rules.${name}.RuleCondition`)) continue;
    optionalList(rule.Assertions, `Rules.${name}.Assertions`).forEach((raw, i) => {
      const assertion = optionalRecord(raw, `Rules.${name}.Assertions[${i}]`);
      if (!resolveBoolean(assertion.Assert, scope, `Rules.${name}.Assertions[${i}].Assert`)) {
        const description = resolve(assertion.AssertDescription, scope, `Rules.${name}.Assertions[${i}]`);
        throw new RuleAssertionError(name, typeof description === 'string' ? description : undefined);
      }
    });
  }
}

function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
