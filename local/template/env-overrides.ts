// `sam local invoke --env-vars FILE` semantics: a JSON object whose `Parameters` entry applies to every
// function and whose other entries, keyed by a function's logical id (or name), apply to that function
// and win over `Parameters`. Only variables the template declares are overridden; names the template
// does not declare are ignored, exactly as SAM CLI ignores them (samcli/local/lambdafn/env_vars.py).
import { TemplateError } from './errors.js';
import type { FunctionDescription } from './functions.js';
import type { LoadedTemplate } from './load.js';
import { isRecord } from './shape.js';

/** Entry name that applies to every function. */
export const ALL_FUNCTIONS = 'Parameters';

/** Parsed `--env-vars` content: entry name (`Parameters` or a function id) → variable → value. */
export type EnvironmentOverrides = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The file is not an object of objects. */
export class InvalidEnvironmentOverridesError extends TemplateError {
  override readonly name = 'InvalidEnvironmentOverridesError';
}

/**
 * Validates `--env-vars` JSON. Values are stringified as SAM does (`true` → "true", numbers as written);
 * objects, arrays and null become "" because Lambda variables are strings.
 */
export function parseEnvironmentOverrides(json: unknown, source: string): EnvironmentOverrides {
  if (!isRecord(json)) throw new InvalidEnvironmentOverridesError(`${source}: must be a JSON object of { "<FunctionId>" | "Parameters": { NAME: value } }`);
  const overrides: Record<string, Record<string, string>> = {};
  for (const [entry, variables] of Object.entries(json)) {
    if (!isRecord(variables)) throw new InvalidEnvironmentOverridesError(`${source}: "${entry}" must be an object of variable names to values`);
    overrides[entry] = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, stringify(value)]));
  }
  return overrides;
}

/** A copy of the template whose functions' declared variables carry the overriding values. */
export function applyEnvironmentOverrides(template: LoadedTemplate, overrides: EnvironmentOverrides): LoadedTemplate {
  const functions: Record<string, FunctionDescription> = {};
  for (const [logicalId, fn] of Object.entries(template.functions)) {
    const values = { ...overrides[ALL_FUNCTIONS], ...(overrides[logicalId] ?? overrides[fn.functionName]) };
    const environment = Object.fromEntries(
      Object.entries(fn.environment).map(([name, value]) => [name, Object.hasOwn(values, name) ? values[name]! : value]),
    );
    functions[logicalId] = { ...fn, environment };
  }
  return { ...template, functions };
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}
