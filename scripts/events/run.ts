import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { parseOptionsStrictly, refuseOptionsKeptByNpm } from '../cli/option-problems.js';
import { ClientRegistryError, ClientStorageUnavailable } from '#shared/clients/client-registry-errors.js';
import { InvalidStackFile, readStackFile, stackFilePath, StackNotRunning } from '../../local/stack/stack-file.js';
import type { Fixture } from './fixtures.js';
import { generateLiveFixtures, generateStableFixtures, TokenRequestFailed } from './generate.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const ENV_VARS_FILE = 'env.local.json';

/** Live fixtures hold a client secret and tokens of one stack: git-ignored, never over the committed copies. */
export const LIVE_OUT_DIR = join('.local', 'events');
export const STABLE_OUT_DIR = 'events';

export const USAGE = `Usage: npm run events -- [--stack-file FILE] [--out DIR] [--stable]

Writes the event fixtures that depend on the running local stack (npm start) into DIR (default ${LIVE_OUT_DIR}/,
git-ignored): the token requests carrying the fixtures client's credentials (its secret is replaced on every
run), the authorizer events carrying a fresh and an expired token, and ${ENV_VARS_FILE} for sam local invoke
--env-vars (samconfig.toml points there). npm run invoke -- <Function> events/<file> uses the copy in
${LIVE_OUT_DIR}/ when there is one. It also puts back the product events/products/delete.json deletes.

  --stack-file FILE  the stack to use (default: $OAUTH_STACK_FILE or .local/stack.json)
  --out DIR          where to write (default: ${LIVE_OUT_DIR}, or ${STABLE_OUT_DIR} with --stable)
  --stable           write the commit-stable fixtures into events/ instead (no stack needed)
`;

/** Where a run writes: the committed directory only for the commit-stable fixtures. */
export function eventsOutDir(options: { stable: boolean; out?: string }): string {
  return options.out ?? (options.stable ? STABLE_OUT_DIR : LIVE_OUT_DIR);
}

export interface EventsIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One `npm run events` run; returns the exit status. */
export async function runEventsCli(argv: readonly string[], io: EventsIo, context: { projectRoot: string }): Promise<number> {
  const inProject = (path: string): string => (isAbsolute(path) ? path : join(context.projectRoot, path));
  try {
    refuseOptionsKeptByNpm(io.env, 'events', OPTIONS, (message) => new UsageError(message));
    const options = parseOptions(argv);
    if (options.help) {
      io.stdout(USAGE);
      return 0;
    }
    const outDir = inProject(eventsOutDir(options));
    const templatePath = join(context.projectRoot, 'template.yaml');
    const shown = (file: string): string => {
      const path = relative(process.cwd(), join(outDir, file));
      return path.startsWith('..') ? join(outDir, file) : path;
    };

    if (options.stable) {
      const fixtures = await generateStableFixtures(templatePath);
      await writeFixtures(outDir, fixtures);
      io.stdout(`Wrote ${fixtures.length} commit-stable fixtures:\n${fixtures.map((f) => `  ${shown(f.file)}\n`).join('')}`);
      return 0;
    }

    const stack = await readStackFile(stackFilePath(context.projectRoot, options.stackFile, io.env));
    const live = await generateLiveFixtures(stack, templatePath);
    await writeFixtures(outDir, [...live.fixtures, { file: ENV_VARS_FILE, event: live.envVars }]);
    io.stdout(
      [
        `Wrote fixtures for the local stack at ${stack.apiUrl} (client ${live.clientId}, new secret; git-ignored, they hold it):`,
        ...live.fixtures.map((f) => `  ${shown(f.file)}`),
        `  ${shown(ENV_VARS_FILE)}  (sam local invoke --env-vars; emulators reached at host.docker.internal)`,
        '',
        // invoke takes these in place of the committed events/ copies of the same name.
        `Try: npm run invoke -- TokenFunction ${outDir === join(context.projectRoot, LIVE_OUT_DIR) ? join(STABLE_OUT_DIR, 'token', 'basic-auth.json') : shown('token/basic-auth.json')}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof StackNotRunning || error instanceof InvalidStackFile) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ClientStorageUnavailable) {
      io.stderr(`error: the local stack's DynamoDB does not answer (${error.message}); is npm start still running?\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof TokenRequestFailed || error instanceof ClientRegistryError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

const OPTIONS = { help: { type: 'boolean', short: 'h' }, stable: { type: 'boolean' }, 'stack-file': { type: 'string' }, out: { type: 'string' } } as const;

function parseOptions(argv: readonly string[]): { help: boolean; stable: boolean; stackFile?: string; out?: string } {
  const { values } = parseOptionsStrictly(argv, OPTIONS, false, (message) => new UsageError(message));
  if (values.stable === true && values['stack-file'] !== undefined) throw new UsageError('--stable needs no stack; drop --stack-file');
  return {
    help: values.help === true,
    stable: values.stable === true,
    ...(values['stack-file'] === undefined ? {} : { stackFile: values['stack-file'] }),
    ...(values.out === undefined ? {} : { out: values.out }),
  };
}

/** Each file written whole, so a reader never sees half a fixture. */
async function writeFixtures(outDir: string, fixtures: readonly Fixture[]): Promise<void> {
  for (const { file, event } of fixtures) {
    const path = join(outDir, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, `${JSON.stringify(event, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
  }
}
