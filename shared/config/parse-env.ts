import * as z from 'zod/mini';
import { en } from 'zod/locales';

// The functions validate with zod/mini, whose schemas tree-shake (zod's chained API brings most of zod
// into every bundle). Unlike the chained API it loads no locale, so every message would read "Invalid
// input"; English names what is wrong with a variable.
z.config(en());

/** Thrown at cold start when the function's environment is unusable; names every bad variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Parses configuration once, at module load, so a misconfigured function fails loudly on its first
 * invocation instead of answering wrongly later.
 */
export function parseEnv<Schema extends z.ZodMiniType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.output<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
