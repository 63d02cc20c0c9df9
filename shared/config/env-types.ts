import { z } from 'zod';

/** Reusable zod shapes for environment variables (always strings in Lambda). */
export const nonEmpty = z.string().trim().min(1);

export const positiveInt = (fallback?: number) => {
  const base = z.coerce.number().int().positive();
  return fallback === undefined ? base : base.default(fallback);
};

export const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Comma-separated list, blanks dropped: "a, b,,c" → ["a", "b", "c"]. */
export const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));

/** Optional URL: empty string means "not set". */
export const optionalUrl = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
  .pipe(z.url().optional());
