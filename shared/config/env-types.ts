/**
 * Readers for environment variables (always strings, or absent, in Lambda). Each returns the value or says
 * what is wrong with it; parse-env.ts collects them and names every bad variable at once.
 *
 * Hand-written rather than zod schemas: building and first running the zod/mini schemas of a function's
 * configuration cost 7–10 ms of every cold start on the bench machine (docs/performance.md), for a dozen
 * string checks.
 */
export type EnvRead<T> = { ok: true; value: T } | { ok: false; problem: string };
export type EnvField<T> = (raw: string | undefined) => EnvRead<T>;

const ok = <T>(value: T): EnvRead<T> => ({ ok: true, value });
const bad = (problem: string): EnvRead<never> => ({ ok: false, problem });

/** Blank after trimming counts as unset. */
const isBlank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

/** A required, non-blank string, trimmed; optionally one that must match `pattern`. */
export function nonEmpty(pattern?: { regex: RegExp; message: string }): EnvField<string> {
  return (raw) => {
    if (raw === undefined) return bad('is not set');
    const value = raw.trim();
    if (value === '') return bad('must not be empty');
    if (pattern !== undefined && !pattern.regex.test(value)) return bad(pattern.message);
    return ok(value);
  };
}

/** A trimmed string; undefined when unset or blank. */
export const optionalNonEmpty: EnvField<string | undefined> = (raw) => ok(isBlank(raw) ? undefined : raw.trim());

/** A whole number in [min, max] written in decimal digits; `fallback` when unset or blank. */
export function integer({ min, max, fallback }: { min: number; max: number; fallback: number }): EnvField<number> {
  return (raw) => {
    if (isBlank(raw)) return ok(fallback);
    const text = raw.trim();
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      return bad(`must be a whole number from ${min} to ${max}`);
    }
    return ok(value);
  };
}

/** Comma-separated list, blanks dropped: "a, b,,c" → ["a", "b", "c"]; at least `min` items. */
export function commaList({ min, what }: { min: number; what: string }): EnvField<string[]> {
  return (raw) => {
    const items = (raw ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);
    return items.length < min ? bad(raw === undefined ? 'is not set' : `must list ${what}`) : ok(items);
  };
}

/** Optional absolute URL: unset or blank means "not set". */
export const optionalUrl: EnvField<string | undefined> = (raw) => {
  if (isBlank(raw)) return ok(undefined);
  const value = raw.trim();
  return URL.canParse(value) ? ok(value) : bad('must be an absolute URL');
};
