import { rename, writeFile } from 'node:fs/promises';
import { readEmfLine, type EmfDatum } from './emf-record.js';

/** Statistics of one metric under one dimension set, as CloudWatch would aggregate them. */
export interface MetricSeries {
  namespace: string;
  name: string;
  unit: string;
  dimensions: Record<string, string>;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** Sum per client id (the records' clientId property): what the "tokens per client" query shows on AWS. */
  byClient: Record<string, number>;
}

/** What `<dataDir>/metrics.json` holds: every series since the stack started. */
export interface MetricsSnapshot {
  since: string;
  updatedAt: string;
  series: MetricSeries[];
}

export const METRICS_FILE = 'metrics.json';

/**
 * The local stack's counters: every EMF record a function writes to stdout, aggregated in memory (so the file
 * stays small however long the stack runs) and written to `file` at most every `intervalMs`.
 */
export function emfCounters(file: string, { intervalMs = 250, now = () => new Date() } = {}) {
  const since = now().toISOString();
  const series = new Map<string, MetricSeries>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const add = (datum: EmfDatum): void => {
    const key = JSON.stringify([datum.namespace, datum.name, datum.dimensions]);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { namespace: datum.namespace, name: datum.name, unit: datum.unit, dimensions: datum.dimensions, sampleCount: 0, sum: 0, min: datum.value, max: datum.value, byClient: {} };
      series.set(key, entry);
    }
    entry.sampleCount += 1;
    entry.sum += datum.value;
    entry.min = Math.min(entry.min, datum.value);
    entry.max = Math.max(entry.max, datum.value);
    const clientId = datum.properties.clientId;
    if (typeof clientId === 'string') entry.byClient[clientId] = (entry.byClient[clientId] ?? 0) + datum.value;
  };

  const write = (): Promise<void> => {
    timer = undefined;
    const snapshot: MetricsSnapshot = { since, updatedAt: now().toISOString(), series: [...series.values()] };
    writing = writing
      .then(async () => {
        await writeFile(`${file}.tmp`, `${JSON.stringify(snapshot, null, 2)}\n`);
        await rename(`${file}.tmp`, file);
      })
      .catch(() => {});
    return writing;
  };

  return {
    /** Feeds one log line; lines that are not EMF records are ignored. */
    observe(line: string): void {
      const data = readEmfLine(line);
      if (data === undefined) return;
      for (const datum of data) add(datum);
      timer ??= setTimeout(() => void write(), intervalMs).unref();
    },
    async flush(): Promise<void> {
      if (timer !== undefined) clearTimeout(timer);
      await write();
    },
  };
}
