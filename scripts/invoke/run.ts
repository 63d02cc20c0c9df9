import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { FunctionRuntime } from '../../local/runtime/function-runtime.js';
import { runningStackFunctions } from '../../local/stack/local-stack.js';
import { InvalidStackFile, readStackFile, stackFilePath, StackNotRunning } from '../../local/stack/stack-file.js';
import {
  applyEnvironmentOverrides,
  InvalidEnvironmentOverridesError,
  parseEnvironmentOverrides,
  type LoadedTemplate,
} from '../../local/template/index.js';
import { refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { OPTIONS, parseInvokeArgs, UsageError, USAGE } from './args.js';
import { invokeOnce } from './invoke-once.js';
import { staleFixtureHint } from './stale-fixture.js';

export const EXIT_USAGE = 2;
const LOG_SETTLE_MS = 50;

export interface InvokeIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The whole of stdin, for `-` as the event file. */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
}

/** A problem with what the user asked for (file, function, stack): exit status 2, no stack trace. */
class InvokeRefused extends Error {
  override readonly name = 'InvokeRefused';
}

/** One `npm run invoke` run; returns the exit status (0 ran, 1 the function threw, 2 refused). */
export async function runInvokeCli(argv: readonly string[], io: InvokeIo, context: { projectRoot: string }): Promise<number> {
  const inProject = (path: string): string => (isAbsolute(path) ? path : join(context.projectRoot, path));
  let runtime: FunctionRuntime | undefined;
  try {
    refuseOptionsKeptByNpm(io.env, 'invoke', OPTIONS, (message) => new UsageError(message));
    const args = parseInvokeArgs(argv);
    if (args.help) {
      io.stdout(USAGE);
      return 0;
    }
    const eventFile = preferGenerated(args.eventFile, context.projectRoot, io);
    const event = await readEvent(eventFile, io, inProject);
    const stack = await readStackFile(stackFilePath(context.projectRoot, args.stackFile, io.env));
    const functions = await runningStackFunctions(stack, inProject(args.templateFile ?? 'template.yaml'));
    const fn = functions.template.functions[args.functionId];
    if (fn === undefined) {
      throw new InvokeRefused(`no function "${args.functionId}" in the template; known functions: ${Object.keys(functions.template.functions).join(', ')}`);
    }
    const template = args.envVarsFile === undefined ? functions.template : await withEnvVars(functions.template, inProject(args.envVarsFile));

    io.stderr(`Invoking ${fn.handler} (${fn.runtime ?? 'nodejs'}) as ${fn.logicalId} against the local stack at ${stack.apiUrl}\n`);
    runtime = new FunctionRuntime(template, { baseEnv: functions.baseEnv, log: (_source, line) => io.stderr(`${line}\n`) });
    const invocation = await invokeOnce(runtime, args.functionId, event);
    // The function's output reaches this process on another channel than its result; let its last lines land.
    await new Promise((resolve) => setTimeout(resolve, LOG_SETTLE_MS));
    io.stdout(invocation.stdout);
    const hint = staleFixtureHint(args.functionId, event, invocation, {
      kids: invocation.exitCode === 1 ? await publishedKids(stack.jwksUri) : undefined,
      now: new Date(),
    });
    if (hint !== undefined) io.stderr(`${hint}\n`);
    return invocation.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof InvokeRefused || error instanceof StackNotRunning || error instanceof InvalidStackFile || error instanceof InvalidEnvironmentOverridesError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    await runtime?.close();
  }
}

async function readEvent(eventFile: string, io: InvokeIo, inProject: (path: string) => string): Promise<unknown> {
  const source = eventFile === '-' ? 'the event on stdin' : `event file ${eventFile}`;
  let text: string;
  try {
    text = eventFile === '-' ? await io.readStdin() : await readFile(inProject(eventFile), 'utf8');
  } catch (error) {
    throw new InvokeRefused(`cannot read ${source}: ${(error as Error).message}`);
  }
  return parseJson(text, source);
}

async function withEnvVars(template: LoadedTemplate, file: string): Promise<LoadedTemplate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvokeRefused(`cannot read --env-vars file ${file}: ${(error as Error).message}`);
  }
  return applyEnvironmentOverrides(template, parseEnvironmentOverrides(parseJson(text, `--env-vars file ${file}`), file));
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvokeRefused(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Where `npm run events` writes the live fixtures: git-ignored, since they hold a secret and tokens. */
export const GENERATED_EVENTS_DIR = join('.local', 'events');

/**
 * A committed live fixture (events/…) has the shape but stale credentials; the copy `npm run events` wrote
 * for the running stack is used in its place when there is one.
 */
function preferGenerated(eventFile: string, projectRoot: string, io: InvokeIo): string {
  if (eventFile === '-') return eventFile;
  const inProject = relative(projectRoot, isAbsolute(eventFile) ? eventFile : join(projectRoot, eventFile));
  if (!inProject.startsWith(`events${sep}`)) return eventFile;
  const generated = join(GENERATED_EVENTS_DIR, inProject.slice('events'.length + 1));
  if (!existsSync(join(projectRoot, generated))) return eventFile;
  io.stderr(`Using ${generated} (written by npm run events for the running stack) in place of ${inProject}\n`);
  return join(projectRoot, generated);
}

async function publishedKids(jwksUri: string): Promise<string[] | undefined> {
  try {
    // A cold discovery function on a busy machine can take a few seconds; the hint is worth the wait.
    const response = await fetch(jwksUri, { signal: AbortSignal.timeout(10_000) });
    const { keys } = (await response.json()) as { keys?: { kid?: unknown }[] };
    return (keys ?? []).flatMap(({ kid }) => (typeof kid === 'string' ? [kid] : []));
  } catch {
    return undefined;
  }
}
