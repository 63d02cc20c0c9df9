// Where function output and gateway access lines go. One sink for everything, so a caller (the test
// suite proving that no secret is ever logged) sees every line the local stack produces.

export type LogStream = 'stdout' | 'stderr';

/** source: a function's logical id, or `gateway` for the gateway's own request lines. */
export type LogSink = (source: string, line: string, stream: LogStream) => void;

export const GATEWAY_LOG_SOURCE = 'gateway';

export const consoleLogSink: LogSink = (source, line, stream) => {
  (stream === 'stderr' ? process.stderr : process.stdout).write(`[${source}] ${line}\n`);
};
