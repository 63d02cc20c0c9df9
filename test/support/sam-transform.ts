// template.yaml as CloudFormation will deploy it: transformed by the AWS SAM translator itself (the Python
// package `aws-sam-translator`, installed with cfn-lint), not by our reading of what SAM does. Tests that assert
// on IAM roles, stage settings or authorizer wiring read this output, so a SAM behaviour we did not expect
// (an extra stage, a policy shape) shows up here rather than in a deployed account.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCloudFormationYaml } from '../../local/template/cloudformation-yaml.js';
import { resolve, resolveBoolean, type ResolveScope } from '../../local/template/intrinsics.js';

const TEMPLATE_PATH = fileURLToPath(new URL('../../template.yaml', import.meta.url));

export interface TransformOptions {
  /** Template parameters (like `sam deploy --parameter-overrides`); unset ones keep their defaults. */
  parameterOverrides?: Record<string, string>;
  region?: string;
  templatePath?: string;
}

export type Resource = { Type: string; Condition?: string; Properties?: Record<string, unknown> } & Record<string, unknown>;

export interface TransformedTemplate {
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  [section: string]: unknown;
}

// The translator needs pseudo parameters and a managed-policy map; the template names no managed policies
// (inline statements only), so an empty map stands in for the IAM ListPolicies call it would otherwise make.
const PYTHON = String.raw`
import json, os, sys
from samtranslator.translator.transform import transform
from samtranslator.public.exceptions import InvalidDocumentException

class NoManagedPolicies:
    def load(self):
        return {}

request = json.load(sys.stdin)
try:
    output = transform(request["template"], request["parameters"], NoManagedPolicies())
except InvalidDocumentException as e:
    sys.stderr.write("\n".join(cause.message for cause in e.causes))
    sys.exit(3)
json.dump(output, sys.stdout)
`;

export function samTransform(options: TransformOptions = {}): TransformedTemplate {
  const templatePath = options.templatePath ?? TEMPLATE_PATH;
  const region = options.region ?? 'eu-west-1';
  const template = parseCloudFormationYaml(readFileSync(templatePath, 'utf8'), templatePath) as TransformedTemplate;
  withS3CodeUris(template);
  const parameters = {
    'AWS::Region': region,
    'AWS::Partition': 'aws',
    'AWS::AccountId': '111122223333',
    'AWS::StackName': 'oauth-cc',
    ...options.parameterOverrides,
  };
  let stdout: string;
  try {
    stdout = execFileSync('python3', ['-c', PYTHON], {
      input: JSON.stringify({ template, parameters }),
      encoding: 'utf8',
      env: { ...process.env, AWS_DEFAULT_REGION: region },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`SAM translator failed on ${templatePath}: ${stderr || String(error)}`, { cause: error });
  }
  return JSON.parse(stdout) as TransformedTemplate;
}

/**
 * `sam build` rewrites CodeUri to the built artefact and `sam deploy` to its S3 location; the translator
 * accepts only the latter, so local paths become a placeholder S3 URI (as cfn-lint does before it transforms).
 */
function withS3CodeUris(template: TransformedTemplate): void {
  const placeholder = 's3://bucket/code.zip';
  const globals = (template.Globals as { Function?: Record<string, unknown> } | undefined)?.Function;
  if (globals && typeof globals.CodeUri === 'string') globals.CodeUri = placeholder;
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type === 'AWS::Serverless::Function' && typeof resource.Properties?.CodeUri === 'string') {
      resource.Properties.CodeUri = placeholder;
    }
  }
}

/** The resources of one CloudFormation type, by logical id. */
export function resourcesOfType(resources: Record<string, Resource>, type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(resources).filter(([, resource]) => resource.Type === type));
}

/**
 * The transformed resources as one deployment with these parameters would create them: conditions decided,
 * resources whose condition is false left out, `Fn::If`/`AWS::NoValue` applied. `Ref X` reads as "X" and
 * `Fn::GetAtt [X, Attr]` as "X.Attr", so an assertion names the resource a policy or variable points at.
 */
export function deployedResources(
  template: TransformedTemplate,
  parameterOverrides: Record<string, string> = {},
): Record<string, Resource> {
  const parameters = templateParameterValues(template, parameterOverrides);
  const conditions = new Map<string, boolean>();
  const scope: ResolveScope = {
    pseudo: (name) => ({ 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws', 'AWS::AccountId': '111122223333', 'AWS::StackName': 'oauth-cc', 'AWS::StackId': 'arn:aws:cloudformation:eu-west-1:111122223333:stack/oauth-cc/1', 'AWS::URLSuffix': 'amazonaws.com' })[name],
    parameter: (name) => parameters[name],
    condition(name, location) {
      if (!conditions.has(name)) {
        const expression = template.Conditions?.[name];
        if (expression === undefined) throw new Error(`${location}: no condition ${name}`);
        conditions.set(name, resolveBoolean(expression, scope, `Conditions.${name}`));
      }
      return conditions.get(name)!;
    },
    resource: (logicalId) =>
      logicalId in template.Resources
        ? { ref: logicalId, attributes: new Proxy({}, { get: (_target, attribute) => `${logicalId}.${String(attribute)}` }) }
        : undefined,
    mappings: (template.Mappings as Record<string, unknown> | undefined) ?? {},
    region: 'eu-west-1',
  };
  const present: Record<string, Resource> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !scope.condition(resource.Condition, logicalId)) continue;
    present[logicalId] = resolve(resource, scope, logicalId) as Resource;
  }
  return present;
}

function templateParameterValues(template: TransformedTemplate, overrides: Record<string, string>): Record<string, string> {
  const declared = (template.Parameters ?? {}) as Record<string, { Default?: unknown }>;
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(declared)) {
    if (declaration.Default !== undefined) values[name] = String(declaration.Default);
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in declared)) throw new Error(`template.yaml declares no parameter ${name}`);
    values[name] = value;
  }
  return values;
}
