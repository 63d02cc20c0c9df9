import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run load -- [--connections N] [--duration SECONDS] [--calls-per-token N] [--stack-file PATH]
  --connections      concurrent connections (default 200)
  --duration         seconds to run (default 30)
  --calls-per-token  GET /products calls per token request (default 10)
  --stack-file       drive the running stack described by this file (npm start writes .local/stack.json);
                     without it, a throwaway local stack is started for the run and stopped after it`;

export interface LoadArguments {
  connections: number;
  durationSeconds: number;
  callsPerTokenRequest: number;
  stackFile: string | undefined;
  help: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positive(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return number;
}

export function parseLoadArguments(argv: readonly string[]): LoadArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        connections: { type: 'string' },
        duration: { type: 'string' },
        'calls-per-token': { type: 'string' },
        'stack-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    connections: positive('connections', values.connections, 200, true),
    durationSeconds: positive('duration', values.duration, 30, false),
    callsPerTokenRequest: positive('calls-per-token', values['calls-per-token'], 10, true),
    stackFile: values['stack-file'],
    help: values.help === true,
  };
}
