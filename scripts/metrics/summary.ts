import type { MetricSeries, MetricsSnapshot } from '../../local/metrics/emf-counters.js';

/**
 * The snapshot as an operator reads a dashboard: per service, each metric's total, then its breakdown by
 * the other dimension (reason, outcome, dependency and kind), then the per-client sums the dashboard leaves
 * to Logs Insights. Durations show count, mean, min and max.
 */
export function formatMetricsSummary(snapshot: MetricsSnapshot): string {
  if (snapshot.series.length === 0) return `No metrics recorded since ${snapshot.since}: send a request to the stack first.\n`;
  const lines: string[] = [`Metrics since ${snapshot.since} (updated ${snapshot.updatedAt})`];
  const byService = groupBy(snapshot.series, (series) => `${series.dimensions.service ?? '(no service)'}\u0000${series.namespace}`);
  for (const [key, services] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
    const [service, namespace] = key.split('\u0000');
    lines.push('', `${service} (namespace ${namespace})`);
    for (const [name, all] of [...groupBy(services, (series) => series.name)].sort(([a], [b]) => a.localeCompare(b))) {
      const total = all.find((series) => Object.keys(series.dimensions).length <= 1) ?? all[0]!;
      lines.push(`  ${name.padEnd(44)} ${figure(total)}`);
      const breakdown = all.filter((series) => series !== total).sort((a, b) => b.sum - a.sum);
      for (const series of breakdown) lines.push(`    ${otherDimensions(series).padEnd(42)} ${figure(series)}`);
      const clients = Object.entries(total.byClient).sort(([, a], [, b]) => b - a);
      if (clients.length > 0 && total.unit === 'Count') {
        lines.push(`    by client: ${clients.map(([client, sum]) => `${client} ${sum}`).join(', ')}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function figure(series: MetricSeries): string {
  if (series.unit === 'Count') return String(series.sum);
  const mean = series.sum / series.sampleCount;
  const unit = series.unit === 'Milliseconds' ? ' ms' : ` ${series.unit}`;
  return `n=${series.sampleCount} mean ${round(mean)}${unit} min ${round(series.min)} max ${round(series.max)}`;
}

function otherDimensions(series: MetricSeries): string {
  return Object.entries(series.dimensions)
    .filter(([name]) => name !== 'service')
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
