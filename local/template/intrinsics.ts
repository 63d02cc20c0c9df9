// Evaluates CloudFormation intrinsic functions over template JSON. Pure: everything outside the template
// (parameter values, pseudo parameters, conditions, the local stand-ins for resources) comes in through a
// ResolveScope. `Fn::If` evaluates only the chosen branch, as CloudFormation does, so a branch that names an
// absent resource is harmless when its condition is false.
import { InvalidTemplateError, UnknownReferenceError, UnsupportedFeatureError } from './errors.js';

/** `Ref: AWS::NoValue`: the enclosing object key or list element disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** What a resource stands for locally: what `Ref` returns and what `Fn::GetAtt` may read. */
export interface ResourceValue {
  ref: string;
  attributes?: Record<string, string>;
}

export type ParameterValue = string | string[];

export interface ResolveScope {
  pseudo(name: string): ParameterValue | undefined;
  parameter(name: string): ParameterValue | undefined;
  condition(name: string, location: string): boolean;
  /** undefined when no resource has that logical id; throws when it exists but has no usable value. */
  resource(logicalId: string, location: string): ResourceValue | undefined;
  mappings: Record<string, unknown>;
  region: string;
}

export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'));
}

export function resolve(value: unknown, scope: ResolveScope, location: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => resolve(item, scope, `${location}[${i}]`)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  if (isIntrinsic(value)) {
    const [name, argument] = Object.entries(value)[0]!;
    return evaluate(name, argument, scope, `${location}.${name}`);
  }
  const object: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolve(item, scope, `${location}.${key}`);
    if (resolved !== NO_VALUE) object[key] = resolved;
  }
  return object;
}

export function resolveString(value: unknown, scope: ResolveScope, location: string): string {
  return scalarToString(resolve(value, scope, location), location);
}

export function resolveBoolean(value: unknown, scope: ResolveScope, location: string): boolean {
  const resolved = resolve(value, scope, location);
  if (typeof resolved !== 'boolean') throw new InvalidTemplateError(`${location}: expected a condition expression`);
  return resolved;
}

function evaluate(name: string, argument: unknown, scope: ResolveScope, location: string): unknown {
  switch (name) {
    case 'Ref':
      return ref(expectString(argument, location), scope, location);
    case 'Condition':
      return scope.condition(expectString(argument, location), location);
    case 'Fn::GetAtt':
      return getAtt(argument, scope, location);
    case 'Fn::Sub':
      return sub(argument, scope, location);
    case 'Fn::Join': {
      const [delimiter, list] = expectArgs(argument, 2, location);
      const items = resolveList(list, scope, `${location}[1]`);
      return items.map((item, i) => scalarToString(item, `${location}[1][${i}]`)).join(expectString(delimiter, location));
    }
    case 'Fn::Select': {
      const [index, list] = expectArgs(argument, 2, location);
      const items = resolveList(list, scope, `${location}[1]`);
      const i = Number(resolve(index, scope, `${location}[0]`));
      if (!Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new InvalidTemplateError(`${location}: index ${String(index)} is outside a list of ${items.length}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArgs(argument, 2, location);
      return resolveString(source, scope, `${location}[1]`).split(expectString(delimiter, location));
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = expectArgs(argument, 3, location);
      const chosen = scope.condition(expectString(condition, location), location);
      return chosen ? resolve(whenTrue, scope, `${location}[1]`) : resolve(whenFalse, scope, `${location}[2]`);
    }
    case 'Fn::Equals': {
      const [a, b] = expectArgs(argument, 2, location);
      // Parameters are strings once referenced, so `!Equals [!Ref Port, 80]` compares "80" with 80 as equal.
      return canonical(resolve(a, scope, `${location}[0]`)) === canonical(resolve(b, scope, `${location}[1]`));
    }
    case 'Fn::Not': {
      const [operand] = expectArgs(argument, 1, location);
      return !resolveBoolean(operand, scope, `${location}[0]`);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(argument) || argument.length < 2 || argument.length > 10) {
        throw new InvalidTemplateError(`${location}: expects between 2 and 10 conditions`);
      }
      const results = argument.map((operand, i) => resolveBoolean(operand, scope, `${location}[${i}]`));
      return name === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'Fn::Contains': {
      const [list, item] = expectArgs(argument, 2, location);
      const needle = canonical(resolve(item, scope, `${location}[1]`));
      return resolveList(list, scope, `${location}[0]`).some((candidate) => canonical(candidate) === needle);
    }
    case 'Fn::FindInMap': {
      const [mapName, topKey, secondKey] = expectArgs(argument, 3, location);
      const keys = [mapName, topKey, secondKey].map((k, i) => resolveString(k, scope, `${location}[${i}]`));
      let found: unknown = scope.mappings;
      for (const key of keys) {
        found = found !== null && typeof found === 'object' ? (found as Record<string, unknown>)[key] : undefined;
        if (found === undefined) throw new InvalidTemplateError(`${location}: Mappings has no ${keys.join('.')}`);
      }
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(resolveString(argument, scope, location), 'utf8').toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${scope.region}${zone}`);
    default:
      throw new UnsupportedFeatureError(`${location}: intrinsic function ${name} is not supported locally`);
  }
}

function ref(name: string, scope: ResolveScope, location: string): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const value = name.startsWith('AWS::') ? scope.pseudo(name) : (scope.parameter(name) ?? scope.resource(name, location)?.ref);
  if (value === undefined) throw new UnknownReferenceError(name, location);
  return value;
}

function getAtt(argument: unknown, scope: ResolveScope, location: string): string {
  const [logicalId, attribute] = expectArgs(argument, 2, location).map((part, i) => resolveString(part, scope, `${location}[${i}]`));
  return attributeOf(logicalId!, attribute!, scope, location);
}

function attributeOf(logicalId: string, attribute: string, scope: ResolveScope, location: string): string {
  const resource = scope.resource(logicalId, location);
  if (!resource) throw new UnknownReferenceError(`${logicalId}.${attribute}`, location);
  const value = resource.attributes?.[attribute];
  if (value === undefined) {
    const known = Object.keys(resource.attributes ?? {});
    throw new UnknownReferenceError(
      `${logicalId}.${attribute}`,
      `${location} (local attributes of ${logicalId}: ${known.length > 0 ? known.join(', ') : 'none'})`,
    );
  }
  return value;
}

function sub(argument: unknown, scope: ResolveScope, location: string): string {
  const [template, variables] = Array.isArray(argument) ? expectArgs(argument, 2, location) : [argument, {}];
  const text = expectString(template, location);
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    throw new InvalidTemplateError(`${location}: the variables of Fn::Sub must be a map`);
  }
  const locals = variables as Record<string, unknown>;
  // `${!Literal}` is CloudFormation's escape for a literal `${Literal}`.
  return text.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    const name = expression.trim();
    if (name in locals) return resolveString(locals[name], scope, `${location}.${name}`);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return attributeOf(name.slice(0, dot), name.slice(dot + 1), scope, location);
    return scalarToString(ref(name, scope, location), location);
  });
}

function resolveList(value: unknown, scope: ResolveScope, location: string): unknown[] {
  const resolved = resolve(value, scope, location);
  if (!Array.isArray(resolved)) throw new InvalidTemplateError(`${location}: expected a list`);
  return resolved;
}

function expectArgs(argument: unknown, count: number, location: string): unknown[] {
  if (!Array.isArray(argument) || argument.length !== count) {
    throw new InvalidTemplateError(`${location}: expects a list of ${count} arguments`);
  }
  return argument;
}

function expectString(value: unknown, location: string): string {
  if (typeof value !== 'string') throw new InvalidTemplateError(`${location}: expected a literal string`);
  return value;
}

export function scalarToString(value: unknown, location: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InvalidTemplateError(`${location}: expected a string, got ${value === NO_VALUE ? 'AWS::NoValue' : JSON.stringify(value)}`);
}

function canonical(value: unknown): string {
  return Array.isArray(value) ? JSON.stringify(value.map(canonical)) : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
