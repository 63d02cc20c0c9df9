/** A logger that keeps what it is told, so tests can read what would reach CloudWatch. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: unknown[];
}

export function recordingLogger() {
  const entries: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: unknown, ...fields: unknown[]): void => {
      entries.push({ level, message: String(message), fields });
    };
  return {
    entries,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    /** Everything logged, as one string, to search for things that must never be there. */
    text: () => JSON.stringify(entries),
  };
}
