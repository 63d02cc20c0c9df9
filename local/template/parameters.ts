// Parameter values as CloudFormation computes them: the template Default, replaced by an override, checked
// against the declared constraints (a local stack should refuse what a deploy would refuse), and, once
// referenced, always a string, or a list of strings for the list types.
import { InvalidParameterValueError, InvalidTemplateError } from './errors.js';
import type { ParameterValue } from './intrinsics.js';
import { optionalField, optionalRecord } from './shape.js';

export type ParameterOverride = string | number | boolean | readonly string[];

export interface ParameterDescription {
  name: string;
  type: string;
  description?: string;
  /** The template default, as a string (lists comma-joined), when there is one. */
  default?: string;
  /** The value in force: the override if any, else the default. */
  value: ParameterValue;
  allowedValues?: string[];
  noEcho: boolean;
}

export function resolveParameters(
  section: unknown,
  overrides: Readonly<Record<string, ParameterOverride>>,
): Record<string, ParameterDescription> {
  const declared = optionalRecord(section, 'Parameters');
  for (const name of Object.keys(overrides)) {
    if (!(name in declared)) throw new InvalidParameterValueError(name, 'is overridden but the template does not declare it');
  }
  const parameters: Record<string, ParameterDescription> = {};
  for (const [name, raw] of Object.entries(declared)) {
    const definition = optionalRecord(raw, `Parameters.${name}`);
    const type = definition.Type;
    if (typeof type !== 'string') throw new InvalidTemplateError(`Parameters.${name}: Type is required`);
    const defaultText = definition.Default === undefined ? undefined : textOf(definition.Default);
    const override = overrides[name];
    const text = override === undefined ? defaultText : textOf(override);
    if (text === undefined) throw new InvalidParameterValueError(name, 'has no Default and no value was given');
    const allowedValues = Array.isArray(definition.AllowedValues) ? definition.AllowedValues.map(textOf) : undefined;
    const value = isListType(type) ? splitList(text) : text;
    for (const item of Array.isArray(value) ? value : [value]) validate(name, type, item, definition, allowedValues);
    parameters[name] = {
      name,
      type,
      ...optionalField('description', typeof definition.Description === 'string' ? definition.Description : undefined),
      ...optionalField('default', defaultText),
      value,
      ...optionalField('allowedValues', allowedValues),
      noEcho: definition.NoEcho === true || definition.NoEcho === 'true',
    };
  }
  return parameters;
}

function validate(
  name: string,
  type: string,
  value: string,
  definition: Record<string, unknown>,
  allowedValues: string[] | undefined,
): void {
  if (allowedValues && !allowedValues.includes(value)) {
    throw new InvalidParameterValueError(name, `"${value}" is not one of the allowed values ${allowedValues.join(', ')}`);
  }
  if (typeof definition.AllowedPattern === 'string' && !new RegExp(`^(?:${definition.AllowedPattern})$`).test(value)) {
    throw new InvalidParameterValueError(name, `"${value}" does not match the pattern ${definition.AllowedPattern}`);
  }
  if (definition.MinLength !== undefined && value.length < Number(definition.MinLength)) {
    throw new InvalidParameterValueError(name, `is shorter than MinLength ${String(definition.MinLength)}`);
  }
  if (definition.MaxLength !== undefined && value.length > Number(definition.MaxLength)) {
    throw new InvalidParameterValueError(name, `is longer than MaxLength ${String(definition.MaxLength)}`);
  }
  if (type === 'Number' || type === 'List<Number>') {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidParameterValueError(name, `"${value}" is not a number`);
    if (definition.MinValue !== undefined && number < Number(definition.MinValue)) {
      throw new InvalidParameterValueError(name, `${value} is below MinValue ${String(definition.MinValue)}`);
    }
    if (definition.MaxValue !== undefined && number > Number(definition.MaxValue)) {
      throw new InvalidParameterValueError(name, `${value} is above MaxValue ${String(definition.MaxValue)}`);
    }
  }
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

// CloudFormation trims each member of a comma-delimited list.
function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim());
}

function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}
