import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Messages between bench/run.ts and a server it runs in a child process (bench/servers/*). */
export type ServerMessage = { type: 'ready'; info: unknown } | { type: 'reply'; id: number; value: unknown } | { type: 'failed'; message: string };
export type ServerRequest = { type: 'request'; id: number; name: string } | { type: 'stop' };

export interface ChildServer<Info> {
  info: Info;
  pid: number;
  /** Asks the child for something by name (e.g. its counters); resolves with its answer. */
  ask<T>(name: string): Promise<T>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

/**
 * Runs a server in its own process, so it gets its own event loop and the load generator (autocannon, in
 * this process) does not share one with it. Both peers are started this way, so neither is favoured.
 */
export async function startChildServer<Info>(module: URL, options: { cpuProfileDir?: string | undefined } = {}): Promise<ChildServer<Info>> {
  const profiling = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir];
  const child: ChildProcess = fork(fileURLToPath(module), [], {
    execArgv: ['--import', 'tsx', ...profiling],
    // Its stderr is kept, not shown (node-oidc-provider warns about development settings), unless it fails.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const pending = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${module.pathname} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${module.pathname} exited with ${code} before it was ready\n${stderr}`)));
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.info as Info);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${module.pathname}: ${message.message}\n${stderr}`));
      } else {
        pending.get(message.id)?.(message.value);
        pending.delete(message.id);
      }
    });
  }).catch((error: unknown) => {
    child.kill();
    throw error;
  });

  return {
    info,
    pid: child.pid ?? -1,
    ask<T>(name: string) {
      const id = nextId++;
      return new Promise<T>((resolve) => {
        pending.set(id, resolve as (value: unknown) => void);
        child.send({ type: 'request', id, name } satisfies ServerRequest);
      });
    },
    async stop() {
      if (child.exitCode !== null || !child.connected) return;
      child.send({ type: 'stop' } satisfies ServerRequest);
      const timer = setTimeout(() => child.kill(), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU time the child's process has used so far, every thread included (ServerRequest name `cpu`). */
export interface CpuTime {
  userMs: number;
  systemMs: number;
}

/**
 * The child's side: announce readiness and answer requests (`cpu`: its CpuTime, besides `answers`);
 * `stop` is awaited before the process exits.
 */
export function serveParent(info: unknown, answers: Record<string, () => unknown>, stop: () => Promise<void>): void {
  const send = (message: ServerMessage) => process.send?.(message);
  const cpu = (): CpuTime => {
    const { user, system } = process.cpuUsage();
    return { userMs: user / 1000, systemMs: system / 1000 };
  };
  process.on('message', async (message: ServerRequest) => {
    if (message.type === 'stop') {
      await stop().catch(() => undefined);
      process.exit(0);
    }
    const answer = message.name === 'cpu' ? cpu : answers[message.name];
    send({ type: 'reply', id: message.id, value: answer === undefined ? undefined : await answer() });
  });
  // If the parent dies, so does the child: no server is left behind on the machine.
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
  send({ type: 'ready', info });
}

export function reportStartFailure(error: unknown): void {
  process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies ServerMessage);
  process.exitCode = 1;
}
