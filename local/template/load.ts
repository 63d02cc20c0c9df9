// One template + one set of inputs, fully resolved. Reading (parse) and resolving are separate steps
// because the local stack needs the tables and keys before it can supply the values (key ids) that the
// functions' environments refer to:
//
//   const doc = await readTemplate('template.yaml');
//   const stack = buildStack(doc, { parameterOverrides });        // no resource values needed yet
//   describeTables(stack); describeKmsKeys(stack);                 // → create them in the emulators
//   const template = resolveTemplate(doc, { parameterOverrides, resources: { SigningKeyA: { ref, attributes } } });
import { describeApis, type ApiDescription } from './api.js';
import { readTemplate, type TemplateDocument } from './document.js';
import { describeFunctions, type FunctionDescription } from './functions.js';
import { describeKmsKeys, type KmsKeyDescription } from './kms-keys.js';
import { describeOutputs, type OutputDescription } from './outputs.js';
import type { ParameterDescription } from './parameters.js';
import { buildStack, type PseudoParameters, type ResolutionInputs } from './stack.js';
import { describeTables, type TableDescription } from './tables.js';

export interface LoadedTemplate {
  document: TemplateDocument;
  inputs: ResolutionInputs;
  pseudo: PseudoParameters;
  parameters: Record<string, ParameterDescription>;
  conditions: Record<string, boolean>;
  functions: Record<string, FunctionDescription>;
  apis: Record<string, ApiDescription>;
  tables: Record<string, TableDescription>;
  kmsKeys: Record<string, KmsKeyDescription>;
  outputs: Record<string, OutputDescription>;
}

export function resolveTemplate(document: TemplateDocument, inputs: ResolutionInputs = {}): LoadedTemplate {
  const stack = buildStack(document, inputs);
  const functions = describeFunctions(stack);
  return {
    document,
    inputs,
    pseudo: stack.pseudo,
    parameters: stack.parameters,
    conditions: stack.conditions(),
    functions,
    apis: describeApis(stack, functions),
    tables: describeTables(stack),
    kmsKeys: describeKmsKeys(stack),
    outputs: describeOutputs(stack),
  };
}

export async function loadTemplate(templatePath: string, inputs: ResolutionInputs = {}): Promise<LoadedTemplate> {
  return resolveTemplate(await readTemplate(templatePath), inputs);
}
