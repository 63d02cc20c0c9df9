import * as z from 'zod/mini';

/** Reusable zod shapes for environment variables (always strings in Lambda). */
export const nonEmpty = z.string().check(z.trim(), z.minLength(1));

export const nonNegativeInt = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.gte(0)), fallback);

/** Comma-separated list, blanks dropped: "a, b,,c" → ["a", "b", "c"]. */
export const commaList = z.pipe(
  z.string(),
  z.transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0)),
);

/** Optional URL: empty string means "not set". */
export const optionalUrl = z.pipe(
  z.pipe(
    z.optional(z.string()),
    z.transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim())),
  ),
  z.optional(z.url()),
);
