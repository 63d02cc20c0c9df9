// What Lambda gives a function besides its code: the environment variables the service sets, and the
// fields of the invocation context. Pure, so tests and the invoke command see the same values.
import { randomBytes } from 'node:crypto';
import type { FunctionDescription, PseudoParameters } from '../template/index.js';

/** The serialisable part of the Lambda context; the worker adds getRemainingTimeInMillis from deadlineMs. */
export interface InvokeContextFields {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  deadlineMs: number;
}

export interface ExecutionEnvironment {
  /** Log stream of this environment: one per container, like Lambda. */
  logStreamName: string;
  env: Record<string, string>;
}

/**
 * baseEnv holds process-level settings (credentials, emulator endpoints); the function's own variables
 * win over it; the variables Lambda reserves for itself win over both.
 */
export function executionEnvironment(
  fn: FunctionDescription,
  pseudo: PseudoParameters,
  baseEnv: Readonly<Record<string, string>>,
): ExecutionEnvironment {
  const now = new Date();
  const day = `${now.getUTCFullYear()}/${pad(now.getUTCMonth() + 1)}/${pad(now.getUTCDate())}`;
  const logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
  return {
    logStreamName,
    env: {
      AWS_REGION: pseudo.region,
      AWS_DEFAULT_REGION: pseudo.region,
      ...baseEnv,
      ...fn.environment,
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn),
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...(fn.runtime ? { AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}` } : {}),
      _HANDLER: fn.handler,
    },
  };
}

export function invokeContextFields(
  fn: FunctionDescription,
  logStreamName: string,
  requestId: string,
  deadlineMs: number,
): InvokeContextFields {
  return {
    awsRequestId: requestId,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySizeMb),
    logGroupName: logGroupName(fn),
    logStreamName,
    deadlineMs,
  };
}

function logGroupName(fn: FunctionDescription): string {
  return `/aws/lambda/${fn.functionName}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
