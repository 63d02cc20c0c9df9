import { readFile } from 'node:fs/promises';
import { waitFor } from './project-process.js';
import { testStack } from './stack-clients.js';

type LogRecord = Record<string, unknown>;

async function tokenFunctionRecords(): Promise<LogRecord[]> {
  const text = await readFile(testStack().logFile, 'utf8');
  return text.split('\n').flatMap((line) => {
    const tab = line.indexOf('\t');
    if (!line.startsWith('TokenFunction') || tab < 0) return [];
    try {
      return [JSON.parse(line.slice(tab + 1)) as LogRecord];
    } catch {
      return [];
    }
  });
}

/**
 * The token function's "Request refused" log record matching `fields`, waiting for the log line to be
 * written (the function logs before it answers, the runtime's pipe delivers the line a moment later).
 */
export function refusalLogged(fields: LogRecord): Promise<LogRecord> {
  return waitFor(`a refusal logged with ${JSON.stringify(fields)}`, async () =>
    (await tokenFunctionRecords()).find(
      (record) => record.message === 'Request refused' && Object.entries(fields).every(([name, value]) => record[name] === value),
    ),
  5_000);
}
