import { ValidationError } from './errors.js';

/** A parsed request body: the JSON object the SDK sent, members named as in the KMS API. */
export type RequestBody = Readonly<Record<string, unknown>>;

interface LengthRule {
  min?: number;
  max?: number;
}

interface StringRule extends LengthRule {
  pattern?: RegExp;
}

interface RangeRule {
  min: number;
  max: number;
}

// AWS reports members in lowerCamelCase ("at 'keyId'"), whatever the wire name.
const memberPath = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

const invalid = (name: string, value: string, constraint: string): ValidationError =>
  new ValidationError(`1 validation error detected: Value ${value} at '${memberPath(name)}' failed to satisfy constraint: ${constraint}`);

const missing = (name: string): ValidationError => invalid(name, 'null', 'Member must not be null');

const wrongType = (name: string, expected: string): ValidationError =>
  new ValidationError(`Value at '${memberPath(name)}' must be ${expected}`);

function checkLength(name: string, shown: string, length: number, rule: LengthRule): void {
  if (rule.min !== undefined && length < rule.min) {
    throw invalid(name, shown, `Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && length > rule.max) {
    throw invalid(name, shown, `Member must have length less than or equal to ${rule.max}`);
  }
}

export function optionalString(body: RequestBody, name: string, rule: StringRule = {}): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(name, 'a string');
  checkLength(name, `'${value}'`, value.length, rule);
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalid(name, `'${value}'`, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  }
  return value;
}

export function requiredString(body: RequestBody, name: string, rule: StringRule = {}): string {
  const value = optionalString(body, name, rule);
  if (value === undefined) throw missing(name);
  return value;
}

export function optionalEnum<T extends string>(body: RequestBody, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(name, `'${value}'`, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

export function requiredEnum<T extends string>(body: RequestBody, name: string, allowed: readonly T[]): T {
  const value = optionalEnum(body, name, allowed);
  if (value === undefined) throw missing(name);
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Blobs travel as standard base64 strings in the JSON protocol; anything else is a client bug. */
export function requiredBlob(body: RequestBody, name: string, rule: LengthRule = {}): Buffer {
  const value = body[name];
  if (value === undefined || value === null) throw missing(name);
  if (typeof value !== 'string' || !BASE64.test(value)) throw wrongType(name, 'a base64-encoded blob');
  const bytes = Buffer.from(value, 'base64');
  // Blob members are sensitive in KMS (message, signature), so their value is never echoed back.
  checkLength(name, "'[SENSITIVE]'", bytes.length, rule);
  return bytes;
}

export function optionalInteger(body: RequestBody, name: string, range: RangeRule): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'an integer');
  if (value < range.min) throw invalid(name, `'${value}'`, `Member must have value greater than or equal to ${range.min}`);
  if (value > range.max) throw invalid(name, `'${value}'`, `Member must have value less than or equal to ${range.max}`);
  return value;
}

export function optionalBoolean(body: RequestBody, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(name, 'a boolean');
  return value;
}

/** Lists of objects (Tags) are validated element by element by the caller. */
export function optionalList(body: RequestBody, name: string, rule: LengthRule = {}): RequestBody[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(name, 'a list');
  checkLength(name, '[...]', value.length, rule);
  return value.map((element: unknown) => {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) throw wrongType(name, 'a list of structures');
    return element as RequestBody;
  });
}

export function optionalStringList(body: RequestBody, name: string, rule: LengthRule = {}): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((element: unknown) => typeof element === 'string')) {
    throw wrongType(name, 'a list of strings');
  }
  checkLength(name, '[...]', value.length, rule);
  return value as string[];
}
