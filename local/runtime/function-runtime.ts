// Runs a template's functions locally, one execution environment (worker) per function at a time, and
// `invokeFunction` for a single invocation without HTTP (a Docker-free `sam local invoke`).
//
//   const runtime = new FunctionRuntime(template, { baseEnv, log });
//   const { result } = await runtime.invoke('TokenFunction', event);   // throws FunctionInvokeError subclasses
//   await runtime.close();
import { randomUUID } from 'node:crypto';
import type { FunctionDescription, LoadedTemplate } from '../template/index.js';
import { FunctionInvokeError, UnknownFunctionError } from './errors.js';
import { FunctionContainer } from './function-container.js';
import { consoleLogSink, type LogSink } from './log-sink.js';

export interface RuntimeOptions {
  /** Added to every function's environment: credentials, emulator endpoints (AWS_ENDPOINT_URL_*), ... */
  baseEnv?: Readonly<Record<string, string>>;
  /** Receives every line the functions write, plus a REPORT line per invocation. Default: the console. */
  log?: LogSink;
  /**
   * Longest a cold start may take. Lambda allows 10 s for init; the default here is 30 s because loading
   * TypeScript through tsx on a busy machine is slower than loading a bundle.
   */
  initTimeoutMs?: number;
}

export interface InvokeOutcome {
  result: unknown;
  requestId: string;
  durationMs: number;
  /** Set when this invocation started the environment (a cold start). */
  initDurationMs?: number;
}

export class RuntimeClosedError extends Error {
  override readonly name = 'RuntimeClosedError';
}

export class FunctionRuntime {
  readonly #containers = new Map<string, FunctionContainer>();
  readonly #log: LogSink;
  #closed = false;

  constructor(
    readonly template: LoadedTemplate,
    private readonly options: RuntimeOptions = {},
  ) {
    this.#log = options.log ?? consoleLogSink;
  }

  async invoke(functionId: string, event: unknown): Promise<InvokeOutcome> {
    const fn = this.template.functions[functionId];
    if (!fn) throw new UnknownFunctionError(functionId, Object.keys(this.template.functions));
    if (this.#closed) throw new RuntimeClosedError('The function runtime is closed');
    const { container, cold } = this.#containerFor(fn);
    const requestId = randomUUID();
    const initDurationMs = await container.ready.catch((error: unknown) => {
      this.#logFailure(fn, requestId, error);
      throw error;
    });
    const started = performance.now();
    try {
      const result = await container.invoke(event, requestId);
      const durationMs = performance.now() - started;
      this.#report(fn, requestId, durationMs, cold ? initDurationMs : undefined);
      return { result, requestId, durationMs, ...(cold ? { initDurationMs } : {}) };
    } catch (error) {
      this.#logFailure(fn, requestId, error);
      this.#report(fn, requestId, performance.now() - started, cold ? initDurationMs : undefined);
      throw error;
    }
  }

  /** Stops every environment; invocations still running fail with FunctionCrashedError. */
  async close(): Promise<void> {
    this.#closed = true;
    const containers = [...this.#containers.values()];
    this.#containers.clear();
    await Promise.all(containers.map((container) => container.terminate('runtime closed')));
  }

  #containerFor(fn: FunctionDescription): { container: FunctionContainer; cold: boolean } {
    const existing = this.#containers.get(fn.logicalId);
    if (existing?.alive) return { container: existing, cold: false };
    const container = new FunctionContainer(fn, {
      pseudo: this.template.pseudo,
      baseEnv: this.options.baseEnv ?? {},
      log: this.#log,
      initTimeoutMs: this.options.initTimeoutMs ?? 30_000,
    });
    this.#containers.set(fn.logicalId, container);
    return { container, cold: true };
  }

  // The platform lines Lambda writes to the function's log; error messages are the function's own.
  #logFailure(fn: FunctionDescription, requestId: string, error: unknown): void {
    const payload = error instanceof FunctionInvokeError ? error.toLambdaError() : { errorType: 'Error', errorMessage: String(error) };
    this.#log(fn.logicalId, `${requestId}\tERROR\tInvoke Error\t${JSON.stringify(payload)}`, 'stderr');
  }

  #report(fn: FunctionDescription, requestId: string, durationMs: number, initDurationMs: number | undefined): void {
    const init = initDurationMs === undefined ? '' : `\tInit Duration: ${initDurationMs.toFixed(2)} ms`;
    this.#log(
      fn.logicalId,
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${fn.memorySizeMb} MB${init}`,
      'stdout',
    );
  }
}

/** One invocation in a fresh runtime, closed afterwards: what `npm run invoke` uses. */
export async function invokeFunction(
  template: LoadedTemplate,
  functionId: string,
  event: unknown,
  options: RuntimeOptions = {},
): Promise<InvokeOutcome> {
  const runtime = new FunctionRuntime(template, options);
  try {
    return await runtime.invoke(functionId, event);
  } finally {
    await runtime.close();
  }
}
