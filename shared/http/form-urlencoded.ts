import { isWellFormedText } from './strict-decoding.js';

/** Every value of every parameter, in order of appearance, so repeats can be seen and refused. */
export type FormParameters = ReadonlyMap<string, readonly string[]>;

/**
 * One name or value of application/x-www-form-urlencoded (WHATWG URL §5.1): '+' is a space, %XX a byte,
 * and the bytes are UTF-8. Undefined when a '%' is not followed by two hex digits or the bytes are not
 * valid UTF-8, where URLSearchParams would keep the '%' or insert U+FFFD and carry on.
 */
export function decodeFormComponent(raw: string): string | undefined {
  const spaced = raw.replaceAll('+', ' ');
  if (!spaced.includes('%')) return isWellFormedText(spaced) ? spaced : undefined;
  try {
    // Throws on a malformed escape and on any invalid UTF-8 sequence (ECMA-262 Decode).
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

/** Parses a form body; undefined when any name or value is malformed. Empty pairs ("a=1&&b=2") are skipped. */
export function parseForm(body: string): FormParameters | undefined {
  const form = new Map<string, string[]>();
  if (body === '') return form;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = decodeFormComponent(separator === -1 ? pair : pair.slice(0, separator));
    const value = decodeFormComponent(separator === -1 ? '' : pair.slice(separator + 1));
    if (name === undefined || value === undefined) return undefined;
    const values = form.get(name);
    if (values === undefined) form.set(name, [value]);
    else values.push(value);
  }
  return form;
}
