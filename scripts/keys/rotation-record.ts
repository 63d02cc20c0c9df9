import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RotationRecord } from './rotation.js';

/**
 * When each deployed key was published and stopped signing, per stack, next to samconfig.toml (commit it with
 * samconfig.toml: whoever rotates next needs it). Lost, it is rebuilt from the stack's latest deployment time,
 * which can only make the waits longer.
 */
export const RECORD_FILE = 'samconfig.signing-keys.json';

type RecordFile = Record<string, RotationRecord>;

export async function readRotationRecord(projectRoot: string, stackName: string): Promise<RotationRecord | undefined> {
  return (await readAll(projectRoot))[stackName];
}

export async function writeRotationRecord(projectRoot: string, stackName: string, record: RotationRecord): Promise<void> {
  const all = await readAll(projectRoot);
  all[stackName] = record;
  const path = join(projectRoot, RECORD_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(all, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

async function readAll(projectRoot: string): Promise<RecordFile> {
  try {
    return JSON.parse(await readFile(join(projectRoot, RECORD_FILE), 'utf8')) as RecordFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
