import { vi } from 'vitest';

/**
 * Everything written to stdout and stderr while capturing — where Powertools Logger writes in Lambda —
 * so tests can search the log lines for what must never be there.
 */
export function captureOutput() {
  const chunks: string[] = [];
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(record), vi.spyOn(process.stderr, 'write').mockImplementation(record)];
  return {
    text: () => chunks.join(''),
    /** Lines that parse as JSON (the Powertools log records). */
    records: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
