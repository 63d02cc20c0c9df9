/** Order statistics over samples; the benchmarks report medians and p99s, never means. */
export interface Summary {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  /** Interquartile range over the median: how much the middle half of the samples spreads. */
  spread: number;
}

/** Nearest-rank percentile of sorted values, p in [0, 100]. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  return {
    n: sorted.length,
    median,
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    spread: (percentile(sorted, 75) - percentile(sorted, 25)) / median,
  };
}

export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}
