// Small guards for reading template sections whose shape is only known at run time.
import { InvalidTemplateError } from './errors.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A map, or {} when the key is absent; anything else is a template error naming the location. */
export function optionalRecord(value: unknown, location: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new InvalidTemplateError(`${location}: expected a map`);
  return value;
}

export function optionalString(value: unknown, location: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidTemplateError(`${location}: expected a string`);
  return value;
}

export function requiredString(value: unknown, location: string): string {
  const text = optionalString(value, location);
  if (text === undefined) throw new InvalidTemplateError(`${location}: is required`);
  return text;
}

/** Numbers arrive as numbers from YAML but as strings through `!Ref` (parameters are strings). */
export function optionalNumber(value: unknown, location: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new InvalidTemplateError(`${location}: expected a number`);
  return number;
}

export function optionalList(value: unknown, location: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidTemplateError(`${location}: expected a list`);
  return value;
}

/** `{ key: value }` when value is defined, `{}` otherwise: keeps optional properties truly absent. */
export function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
