import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { esbuildFunctions, type EsbuildFunction } from '../../scripts/build/bundle-functions.js';
import { dependencyMismatches } from './comparison.js';

const run = promisify(execFile);

/** The commit today's cold starts are compared with. */
export const REFERENCE_COMMIT = 'fbf830e';

export interface ReferenceCheckout {
  commit: string;
  dir: string;
  templatePath: string;
  /** Its template's esbuild functions, as SAM would build them from that template's BuildProperties. */
  functions: EsbuildFunction[];
}

async function installedVersions(projectRoot: string, names: readonly string[]): Promise<Record<string, string | undefined>> {
  const entries = await Promise.all(
    names.map(async (name) => {
      const manifest = await readFile(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8').catch(() => undefined);
      return [name, manifest === undefined ? undefined : (JSON.parse(manifest) as { version: string }).version] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * A detached worktree of `commit` for the length of `use`, with this checkout's node_modules linked in
 * rather than installed: refused unless every dependency that commit pins is installed here at that version,
 * so its bundles hold the code it shipped. The worktree is removed afterwards, whatever happens.
 */
export async function withReferenceCheckout<T>(projectRoot: string, commit: string, use: (checkout: ReferenceCheckout) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `oauth-cc-bench-${commit}-`));
  const git = (...args: string[]) => run('git', ['-C', projectRoot, ...args]);
  await git('worktree', 'add', '--detach', dir, commit);
  try {
    const { dependencies = {} } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const mismatches = dependencyMismatches(dependencies, await installedVersions(projectRoot, Object.keys(dependencies)));
    if (mismatches.length > 0) throw new Error(`${commit} needs dependencies this checkout does not have installed: ${mismatches.join(', ')}`);
    await symlink(join(projectRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const templatePath = join(dir, 'template.yaml');
    return await use({ commit, dir, templatePath, functions: await esbuildFunctions(templatePath) });
  } finally {
    // The link first, so that nothing removing the worktree can reach this checkout's node_modules.
    await rm(join(dir, 'node_modules'), { force: true });
    await git('worktree', 'remove', '--force', dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await git('worktree', 'prune').catch(() => undefined);
  }
}
