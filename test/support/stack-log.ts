import { readFile } from 'node:fs/promises';
import { testStack } from './stack-clients.js';

/** One line of the test stack's log file: `<source>\t<line>` (test/support/global-setup.ts). */
export interface StackLogLine {
  source: string;
  line: string;
}

export async function stackLogLines(): Promise<StackLogLine[]> {
  const text = await readFile(testStack().logFile, 'utf8');
  return text
    .split('\n')
    .filter((entry) => entry.includes('\t'))
    .map((entry) => ({ source: entry.slice(0, entry.indexOf('\t')), line: entry.slice(entry.indexOf('\t') + 1) }));
}

/**
 * The JSON lines of `source` that satisfy `match`, waiting for them: a function's output reaches the log a
 * moment after its response reaches the client. Resolves with what is there after `timeoutMs` otherwise.
 */
export async function awaitJsonLines(source: string, match: (record: Record<string, unknown>) => boolean, { count = 1, timeoutMs = 5_000 } = {}): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await stackLogLines())
      .filter((entry) => entry.source === source && entry.line.startsWith('{'))
      .map((entry) => JSON.parse(entry.line) as Record<string, unknown>)
      .filter(match);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The EMF records (CloudWatch embedded metric format) among them. */
export const isEmf = (record: Record<string, unknown>): boolean => typeof record._aws === 'object' && record._aws !== null;
