// Usage problems in command-line options, worded for the person who typed them. node:util's parseArgs reports
// the first problem in its own words (and, for an unknown option, advice about positionals that does not apply
// here); these name the option, suggest the one meant, and notice when npm kept the options for itself.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** The first problem with `argv` against `options`, as one sentence; undefined when there is none. */
export function optionProblem(argv: readonly string[], options: OptionSpecs): string | undefined {
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (spec === undefined) {
      const guess = nearestOption(token.name, Object.keys(options));
      return `unknown option ${token.rawName}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`;
    }
    if (spec.type === 'string' && token.value === undefined) return `${token.rawName} needs a value`;
    if (spec.type === 'string' && token.inlineValue === false && token.value.startsWith('-')) {
      return `${token.rawName} needs a value, not the option ${token.value} (a value starting with - is written ${token.rawName}=${token.value})`;
    }
    if (spec.type === 'boolean' && token.value !== undefined) return `${token.rawName} takes no value`;
  }
  return undefined;
}

/** The known option closest to `name`: one it starts, or that starts it, else within two edits. */
export function nearestOption(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const prefixed = known.filter((option) => option.startsWith(lower) || lower.startsWith(option));
  if (prefixed.length > 0) return prefixed.sort((a, b) => Math.abs(a.length - lower.length) - Math.abs(b.length - lower.length))[0];
  let best: { option: string; distance: number } | undefined;
  for (const option of known) {
    const distance = editDistance(lower, option);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { option, distance };
  }
  return best?.option;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * `npm run clients create --name x` (no `--`) hands `--name x` to npm, which keeps it as its own setting
 * `npm_config_name` in the script's environment; the script sees only `create`, and would go on without the
 * option (a `--aws` lost this way makes a command act on the local stack). Refuses, naming the options npm
 * kept, when this script was started by npm (npm_lifecycle_event is its name) and any of them is among npm's settings.
 */
export function refuseOptionsKeptByNpm(
  env: Record<string, string | undefined>,
  script: string,
  options: OptionSpecs,
  toError: (message: string) => Error,
): void {
  if (env.npm_lifecycle_event !== script) return;
  const kept = Object.keys(options).filter((name) => env[`npm_config_${name.replace(/-/g, '_')}`] !== undefined);
  if (kept.length === 0) return;
  throw toError(
    `npm kept ${kept.map((name) => `--${name}`).join(', ')} for itself, so this script never saw ${kept.length === 1 ? 'it' : 'them'}: ` +
      `put -- between the script name and its arguments, as in npm run ${script} -- <arguments>`,
  );
}

/**
 * parseArgs, strict, with the problems above reported first in their words; `toError` makes the caller's own
 * usage error from a message (node's own wording only for what the pre-check does not cover, like a stray argument).
 */
export function parseOptionsStrictly<Options extends OptionSpecs>(
  argv: readonly string[],
  options: Options,
  allowPositionals: boolean,
  toError: (message: string) => Error,
) {
  const problem = optionProblem(argv, options);
  if (problem !== undefined) throw toError(problem);
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    // node:util reports what remains (a stray positional argument) as a TypeError with an ERR_PARSE_ARGS code.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw toError(error.message.replace(/^Unexpected argument '([^']*)'.*$/s, 'unexpected argument "$1"'));
    }
    throw error;
  }
}
