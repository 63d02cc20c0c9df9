import { FunctionInvokeError } from '../../local/runtime/errors.js';
import type { FunctionRuntime } from '../../local/runtime/function-runtime.js';

/** What `npm run invoke` reports for one invocation: the line it prints on stdout and its exit status. */
export type Invocation =
  | { exitCode: 0; result: unknown; stdout: string }
  | { exitCode: 1; error: { errorType: string; errorMessage: string }; stdout: string };

/**
 * One invocation, reported like `sam local invoke`: the result as JSON when the handler returned (an HTTP
 * 4xx answer included, since that is a result), or Lambda's `{ errorType, errorMessage }` when it threw,
 * timed out or could not start.
 */
export async function invokeOnce(runtime: FunctionRuntime, functionId: string, event: unknown): Promise<Invocation> {
  try {
    const { result } = await runtime.invoke(functionId, event);
    return { exitCode: 0, result, stdout: `${JSON.stringify(result)}\n` };
  } catch (error) {
    if (!(error instanceof FunctionInvokeError)) throw error;
    const { errorType, errorMessage } = error.toLambdaError();
    return { exitCode: 1, error: { errorType, errorMessage }, stdout: `${JSON.stringify({ errorType, errorMessage })}\n` };
  }
}
