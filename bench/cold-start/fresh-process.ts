import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./first-invocation.mjs', import.meta.url));

/** What bench/cold-start/first-invocation.mjs reports, measured inside the child from its own start. */
export interface FirstInvocation {
  startedMs: number;
  importMs: number;
  invokeMs: number;
  totalMs: number;
  result?: unknown;
  error?: string;
}

export interface Invocation {
  /** Shown in failures. */
  name: string;
  handlerModule: string;
  exportName: string;
  event: unknown;
  env: Record<string, string>;
}

/** Imports `handlerModule` in a new `node` process with only `env`, invokes it once, and reports the times. */
export interface Outcome extends FirstInvocation {
  /** spawn() to exit, measured here: includes starting node and the process teardown. */
  wallMs: number;
  /** Lines of the embedded metric format (EMF) the process wrote: its metrics records. */
  emfRecords: number;
}

export function firstInvocation({ name, handlerModule, exportName, event, env }: Invocation): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const context = { functionName: name, awsRequestId: randomUUID(), memoryLimitInMB: '512', callbackWaitsForEmptyEventLoop: true };
    const started = performance.now();
    const child = spawn(process.execPath, [RUNNER], {
      env: { ...env, BENCH_INVOCATION: JSON.stringify({ handlerModule, exportName, event, context }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      const lines = stdout.trim().split('\n');
      const last = lines.pop() ?? '';
      const emfRecords = lines.filter((line) => line.includes('"_aws"')).length;
      try {
        const outcome = JSON.parse(last) as FirstInvocation;
        if (outcome.error !== undefined) throw new Error(outcome.error);
        resolve({ ...outcome, wallMs, emfRecords });
      } catch (error) {
        reject(new Error(`${name}: cold start failed (exit ${code}): ${(error as Error).message}\n${stderr.slice(-2000)}`));
      }
    });
  });
}
