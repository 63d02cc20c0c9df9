import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackInfo } from '../../local/stack-info.js';
import { spawnScript, StopWaiting, waitFor, type ProjectProcess } from './project-process.js';

/**
 * A local stack of its own, started exactly as a developer starts one (`npm start` with PORT and
 * LOCAL_DATA_DIR), for tests that must stop, restart or rotate a stack: the shared test stack is never
 * disturbed. Found through the stack.json it writes, like every other tool finds a running stack.
 */
export interface ChildStack {
  readonly dataDir: string;
  readonly info: StackInfo;
  readonly process: ProjectProcess;
  /** Ctrl-C: SIGINT, then waits for the exit and returns its code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** For afterAll: SIGKILL if it is still running, whatever state the test left it in. */
  kill(): Promise<void>;
}

/** Starting costs a few seconds (three emulators, tsx); a busy machine running other suites needs more. */
const START_TIMEOUT_MS = 90_000;

export function stackFileOf(dataDir: string): string {
  return join(dataDir, 'stack.json');
}

export async function readStackFile(dataDir: string): Promise<StackInfo> {
  return JSON.parse(await readFile(stackFileOf(dataDir), 'utf8')) as StackInfo;
}

export async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** `npm start` on `dataDir`; port 0 picks a free one (the issuer names the port, so a restart reuses it). */
export function spawnStack(dataDir: string, port = 0): ProjectProcess {
  return spawnScript('scripts/start.ts', [], { PORT: String(port), LOCAL_DATA_DIR: dataDir });
}

export async function startChildStack(dataDir: string, port = 0): Promise<ChildStack> {
  const started = spawnStack(dataDir, port);
  const { child } = started;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void started.exited.then((result) => (exit = result));
  const kill = async (): Promise<void> => {
    if (exit === undefined) {
      child.kill('SIGKILL');
      await started.exited;
    }
  };

  let info: StackInfo;
  try {
    info = await waitFor(
      `the stack on ${dataDir} to write stack.json`,
      async () => {
        if (exit !== undefined) throw new StopWaiting(`the stack exited (${exit.code ?? exit.signal}) before it was ready:\n${started.output()}`);
        const written = await readStackFile(dataDir).catch(() => undefined);
        // A stack.json left by a killed stack names another pid.
        return written?.pid === child.pid ? written : undefined;
      },
      START_TIMEOUT_MS,
    );
  } catch (error) {
    await kill();
    throw error;
  }

  return {
    dataDir,
    info,
    process: started,
    async stop(timeoutMs = 30_000) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const { code } = await started.exited;
      clearTimeout(timer);
      return code;
    },
    kill,
  };
}
