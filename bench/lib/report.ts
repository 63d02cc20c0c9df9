/** One line of the results table. Latencies are in `unit`; `rate` is per second. */
export interface Row {
  name: string;
  unit: 'µs' | 'ms';
  median?: number;
  p99?: number;
  rate?: number;
  /** The ratio to this row's reference, measured in the same run, e.g. 0.93 against "floor". */
  ratio?: { value: number; against: string };
  note?: string;
}

export interface Target {
  description: string;
  met: boolean;
  measured: string;
  /** Why it was missed (what profiling showed), or what qualifies a pass. */
  explanation?: string;
}

export interface BenchmarkReport {
  id: string;
  title: string;
  rows: Row[];
  targets: Target[];
  notes: string[];
  /** Everything else worth keeping in the JSON (raw summaries, counts, settings). */
  details: Record<string, unknown>;
}

export function formatNumber(value: number | undefined, digits = 3): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, Math.min(6, digits - 1 - magnitude));
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function ratioText(ratio: Row['ratio']): string {
  return ratio === undefined ? '' : `${ratio.value.toFixed(2)}× ${ratio.against}`;
}

/** A plain-text table, column widths fitted to the content. */
export function formatTable(reports: readonly BenchmarkReport[]): string {
  const header = ['Measurement', 'median', 'p99', 'per s', 'ratio', 'note'];
  const lines: string[][] = [];
  for (const report of reports) {
    lines.push([`[${report.title}]`, '', '', '', '', '']);
    for (const row of report.rows) {
      lines.push([
        `  ${row.name}`,
        row.median === undefined ? '' : `${formatNumber(row.median)} ${row.unit}`,
        row.p99 === undefined ? '' : `${formatNumber(row.p99)} ${row.unit}`,
        row.rate === undefined ? '' : formatNumber(row.rate, 4),
        ratioText(row.ratio),
        row.note ?? '',
      ]);
    }
  }
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '─'.repeat(width)).join('  '), ...lines.map(render)].join('\n');
}

export function formatTargets(reports: readonly BenchmarkReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const target of report.targets) {
      lines.push(`${target.met ? 'MET   ' : 'MISSED'}  ${report.title}: ${target.description} — ${target.measured}`);
      if (target.explanation) lines.push(`        ${target.explanation}`);
    }
  }
  return lines.join('\n');
}

export function formatNotes(reports: readonly BenchmarkReport[]): string {
  return reports
    .filter((report) => report.notes.length > 0)
    .map((report) => [`${report.title}:`, ...report.notes.map((note) => `  - ${note}`)].join('\n'))
    .join('\n');
}
