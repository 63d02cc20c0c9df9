// Why an invocation failed, as typed errors carrying Lambda's own errorType, so the gateway can answer
// 502 for any of them while the invoke command prints what `aws lambda invoke` would show.

export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

export abstract class FunctionInvokeError extends Error {
  abstract readonly errorType: string;
  constructor(
    readonly functionId: string,
    message: string,
  ) {
    super(message);
  }

  /** The body Lambda returns for a failed invocation (with X-Amz-Function-Error set). */
  toLambdaError(): LambdaErrorPayload {
    return { errorType: this.errorType, errorMessage: this.message };
  }
}

/** The handler threw or its promise rejected. */
export class HandlerError extends FunctionInvokeError {
  override readonly name = 'HandlerError';
  constructor(
    functionId: string,
    readonly errorType: string,
    message: string,
    readonly handlerStack: string,
  ) {
    super(functionId, message);
  }

  override toLambdaError(): LambdaErrorPayload {
    const stackTrace = this.handlerStack.split('\n').slice(1).map((line) => line.trim()).filter(Boolean);
    return { errorType: this.errorType, errorMessage: this.message, ...(stackTrace.length > 0 ? { stackTrace } : {}) };
  }
}

/** The function ran past its Timeout; its environment is discarded, as Lambda does. */
export class FunctionTimeoutError extends FunctionInvokeError {
  override readonly name = 'FunctionTimeoutError';
  readonly errorType = 'Sandbox.Timedout';
  constructor(
    functionId: string,
    readonly requestId: string,
    readonly timeoutSeconds: number,
  ) {
    super(functionId, `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
  }
}

/** The execution environment died (uncaught exception, process.exit, recycled) while the invoke ran. */
export class FunctionCrashedError extends FunctionInvokeError {
  override readonly name = 'FunctionCrashedError';
  readonly errorType = 'Runtime.ExitError';
}

/** The handler module could not be loaded, did not export the handler, or took too long to load. */
export class FunctionInitError extends FunctionInvokeError {
  override readonly name = 'FunctionInitError';
  constructor(
    functionId: string,
    readonly errorType: string,
    message: string,
  ) {
    super(functionId, message);
  }
}

/** No function with that logical id exists in the template (or its Condition is false). */
export class UnknownFunctionError extends Error {
  override readonly name = 'UnknownFunctionError';
  constructor(
    readonly functionId: string,
    known: readonly string[],
  ) {
    super(`No function "${functionId}" in the template; known functions: ${known.join(', ') || 'none'}`);
  }
}
