// One execution environment of one function: a worker thread with its own process.env and module graph,
// started on first use (the cold start) and discarded when it times out, crashes or fails to initialise,
// exactly when Lambda would discard its environment. Several invocations may run in it concurrently
// (handlers are async); when one of them times out the whole environment goes, taking the others with it.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FunctionDescription, PseudoParameters } from '../template/index.js';
import { FunctionCrashedError, FunctionInitError, FunctionTimeoutError, HandlerError } from './errors.js';
import { executionEnvironment, invokeContextFields } from './lambda-environment.js';
import type { LogSink, LogStream } from './log-sink.js';
import { profilingExecArgv } from './profiling-exec-argv.js';

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

interface SerializedError {
  name: string;
  message: string;
  stack: string;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: string; result: unknown }
  | { type: 'error'; id: string; error: SerializedError };

interface PendingInvoke {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface ContainerOptions {
  pseudo: PseudoParameters;
  baseEnv: Readonly<Record<string, string>>;
  log: LogSink;
  initTimeoutMs: number;
}

export class FunctionContainer {
  /** Resolves with the init duration (ms): thread start, TypeScript loader and handler module load. */
  readonly ready: Promise<number>;
  #alive = true;
  #exitReason: string | undefined;
  readonly #worker: Worker;
  readonly #pending = new Map<string, PendingInvoke>();
  readonly #logStreamName: string;

  constructor(
    readonly fn: FunctionDescription,
    options: ContainerOptions,
  ) {
    const spawned = performance.now();
    const { env, logStreamName } = executionEnvironment(fn, options.pseudo, options.baseEnv);
    this.#logStreamName = logStreamName;
    this.#worker = new Worker(BOOTSTRAP, {
      env,
      // A fresh Node for each environment: nothing from how the parent was started leaks in but profiling.
      execArgv: profilingExecArgv(),
      stdout: true,
      stderr: true,
      name: fn.logicalId,
      workerData: { entryUrl: pathToFileURL(fn.entry).href, exportName: fn.handlerExport, handlerName: fn.handler },
    });
    forwardLines(this.#worker.stdout, fn.logicalId, 'stdout', options.log);
    forwardLines(this.#worker.stderr, fn.logicalId, 'stderr', options.log);

    this.ready = new Promise<number>((resolve, reject) => {
      const initTimer = setTimeout(() => {
        reject(new FunctionInitError(fn.logicalId, 'Runtime.InitTimeout', `Init did not complete within ${options.initTimeoutMs} ms`));
        void this.terminate('init timed out');
      }, options.initTimeoutMs);
      this.#worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          clearTimeout(initTimer);
          resolve(performance.now() - spawned);
        } else if (message.type === 'init-error') {
          clearTimeout(initTimer);
          reject(new FunctionInitError(fn.logicalId, message.error.name, message.error.message));
          void this.terminate('init failed');
        } else {
          this.#settle(message);
        }
      });
      this.#worker.on('error', (error) => {
        this.#exitReason ??= `${error.name}: ${error.message}`;
        options.log(fn.logicalId, `Uncaught ${this.#exitReason}`, 'stderr');
      });
      this.#worker.on('exit', (code) => {
        this.#alive = false;
        clearTimeout(initTimer);
        const reason = this.#exitReason ?? `exit status ${code}`;
        reject(new FunctionCrashedError(fn.logicalId, `Runtime exited during init: ${reason}`));
        for (const [requestId, pending] of this.#pending) {
          clearTimeout(pending.timer);
          pending.reject(new FunctionCrashedError(fn.logicalId, `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`));
        }
        this.#pending.clear();
      });
    });
    // Whoever invokes awaits `ready`; this only keeps an environment closed before first use from
    // reporting an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** False once the environment has exited or is being discarded; the runtime then starts a new one. */
  get alive(): boolean {
    return this.#alive;
  }

  /** Call after `ready` resolved. Rejects with HandlerError, FunctionTimeoutError or FunctionCrashedError. */
  invoke(event: unknown, requestId: string): Promise<unknown> {
    const { fn } = this;
    const timeoutMs = fn.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      if (!this.#alive) {
        reject(new FunctionCrashedError(fn.logicalId, `RequestId: ${requestId} Error: Runtime exited with error: ${this.#exitReason}`));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new FunctionTimeoutError(fn.logicalId, requestId, fn.timeoutSeconds));
        void this.terminate(`invocation ${requestId} timed out`);
      }, timeoutMs);
      this.#pending.set(requestId, { resolve, reject, timer });
      const context = invokeContextFields(fn, this.#logStreamName, requestId, Date.now() + timeoutMs);
      try {
        this.#worker.postMessage({ id: requestId, event, context });
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(requestId);
        reject(new HandlerError(fn.logicalId, 'Runtime.InvalidEvent', `The event cannot be passed to the function: ${String(error)}`, ''));
      }
    });
  }

  /** Discards the environment; invocations still running in it fail with FunctionCrashedError. */
  terminate(reason: string): Promise<void> {
    this.#exitReason ??= `environment discarded (${reason})`;
    this.#alive = false;
    return this.#worker.terminate().then(() => undefined);
  }

  #settle(message: Extract<WorkerMessage, { id: string }>): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new HandlerError(this.fn.logicalId, message.error.name, message.error.message, message.error.stack));
  }
}

function forwardLines(stream: Readable, source: string, kind: LogStream, log: LogSink): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log(source, line, kind));
}
