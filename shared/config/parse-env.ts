import type { EnvField } from './env-types.js';

/** Thrown at cold start when the function's environment is unusable; names every bad variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

type EnvFields = Record<string, EnvField<unknown>>;
type EnvValues<Fields extends EnvFields> = { [Name in keyof Fields]: Fields[Name] extends EnvField<infer T> ? T : never };

/** A function's environment: a reader per variable, and what the function makes of their values. */
export interface EnvSchema<Output> {
  read(env: Record<string, string | undefined>): { ok: true; value: Output } | { ok: false; problems: string[] };
}

export function envSchema<Fields extends EnvFields>(fields: Fields): EnvSchema<EnvValues<Fields>>;
export function envSchema<Fields extends EnvFields, Output>(fields: Fields, shape: (values: EnvValues<Fields>) => Output): EnvSchema<Output>;
export function envSchema<Fields extends EnvFields, Output>(fields: Fields, shape?: (values: EnvValues<Fields>) => Output): EnvSchema<Output | EnvValues<Fields>> {
  return {
    read(env) {
      const values: Record<string, unknown> = {};
      const problems: string[] = [];
      for (const [name, field] of Object.entries(fields)) {
        const result = field(env[name]);
        if (result.ok) values[name] = result.value;
        else problems.push(`${name}: ${result.problem}`);
      }
      if (problems.length > 0) return { ok: false, problems };
      const typed = values as EnvValues<Fields>;
      return { ok: true, value: shape === undefined ? typed : shape(typed) };
    },
  };
}

export type EnvOutput<Schema> = Schema extends EnvSchema<infer Output> ? Output : never;

/**
 * Parses configuration once, at module load, so a misconfigured function fails loudly on its first
 * invocation instead of answering wrongly later.
 */
export function parseEnv<Output>(schema: EnvSchema<Output>, env: Record<string, string | undefined> = process.env): Output {
  const result = schema.read(env);
  if (!result.ok) throw new ConfigurationError(`Invalid configuration: ${result.problems.join('; ')}`);
  return result.value;
}
