import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class StackAlreadyRunning extends Error {
  override readonly name = 'StackAlreadyRunning';

  constructor(readonly pid: number, readonly dataDir: string) {
    super(`A local stack (pid ${pid}) is already running on ${dataDir}; stop it first (Ctrl-C in its terminal).`);
  }
}

export interface StackLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One stack per data directory: two would write the same DynamoDB and key files. A lock left behind by
 * a killed stack (its pid is gone) is taken over.
 */
export async function acquireStackLock(dataDir: string): Promise<StackLock> {
  const path = join(dataDir, 'stack.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new StackAlreadyRunning(pid, dataDir);
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock ${path}`);
}
