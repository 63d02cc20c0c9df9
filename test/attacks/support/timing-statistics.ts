/**
 * Robust comparisons of two latency samples, for the client-enumeration timing check (RFC 6819
 * §4.3.5). Means are useless here: one garbage-collection pause or a neighbour test
 * saturating a core moves them by milliseconds. Medians, trimmed means and the Mann-Whitney U statistic
 * only look at ranks and the middle of the distributions, so occasional stalls do not decide the result.
 */
export interface TimingComparison {
  medianA: number;
  medianB: number;
  /** median(a) − median(b), milliseconds. */
  medianDifference: number;
  /** Difference of the 20 %-trimmed means, milliseconds. */
  trimmedMeanDifference: number;
  /**
   * Vargha–Delaney A: the probability that a random draw from `a` is slower than one from `b` (ties
   * count half), U / (n·m). 0.5 when neither is systematically slower; a 1 ms oracle on a few
   * milliseconds of jitter pushes it past 0.7.
   */
  probabilityASlower: number;
  /** Two-sided p-value of the Mann-Whitney U test (normal approximation with tie correction). */
  p: number;
}

export interface ParityTolerance {
  /** Largest acceptable difference of medians and of trimmed means, milliseconds. */
  milliseconds: number;
  /**
   * Or, when larger, this share of the slower median: on a loaded machine every CPU-bound part of a request
   * stretches, and a fixed bound would flag noise; an oracle that skips the lookup saves most of the request.
   */
  relative?: number;
  /** Largest acceptable |A − 0.5|. */
  effect: number;
}

export interface ParityVerdict extends TimingComparison {
  parity: boolean;
  /** Why parity failed, empty when it holds. */
  reasons: string[];
}

export function compareTimings(a: readonly number[], b: readonly number[]): TimingComparison {
  const medianA = quantile(a, 0.5);
  const medianB = quantile(b, 0.5);
  const { u, z } = mannWhitney(a, b);
  return {
    medianA,
    medianB,
    medianDifference: medianA - medianB,
    trimmedMeanDifference: trimmedMean(a, 0.2) - trimmedMean(b, 0.2),
    probabilityASlower: u / (a.length * b.length),
    p: 2 * (1 - standardNormalCdf(Math.abs(z))),
  };
}

/**
 * Parity holds when the two distributions sit within `tolerance` of each other in the middle and
 * neither is slower in a clear majority of pairings. The p-value is reported, not required: with
 * hundreds of samples it flags differences of microseconds that no attacker across a network can see.
 */
export function judgeParity(a: readonly number[], b: readonly number[], tolerance: ParityTolerance): ParityVerdict {
  const comparison = compareTimings(a, b);
  const reasons: string[] = [];
  const allowed = Math.max(tolerance.milliseconds, (tolerance.relative ?? 0) * Math.max(comparison.medianA, comparison.medianB));
  if (Math.abs(comparison.medianDifference) > allowed) reasons.push(`medians differ by ${comparison.medianDifference.toFixed(3)} ms`);
  if (Math.abs(comparison.trimmedMeanDifference) > allowed) {
    reasons.push(`trimmed means differ by ${comparison.trimmedMeanDifference.toFixed(3)} ms`);
  }
  if (Math.abs(comparison.probabilityASlower - 0.5) > tolerance.effect) reasons.push(`A = ${comparison.probabilityASlower.toFixed(3)}`);
  return { ...comparison, parity: reasons.length === 0, reasons };
}

export function describeVerdict(verdict: TimingComparison): string {
  return (
    `medians ${verdict.medianA.toFixed(3)} vs ${verdict.medianB.toFixed(3)} ms (Δ ${verdict.medianDifference.toFixed(3)}), ` +
    `trimmed-mean Δ ${verdict.trimmedMeanDifference.toFixed(3)} ms, A = ${verdict.probabilityASlower.toFixed(3)}, Mann-Whitney p = ${verdict.p.toPrecision(3)}`
  );
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower);
}

export function trimmedMean(values: readonly number[], proportion: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const cut = Math.floor(sorted.length * proportion);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((sum, value) => sum + value, 0) / kept.length;
}

/** U counts the pairs in which `a` is the larger value (ties half); z is its standardised form. */
export function mannWhitney(a: readonly number[], b: readonly number[]): { u: number; z: number } {
  const n = a.length;
  const m = b.length;
  const pooled = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]?.value === pooled[start]?.value) end++;
    const averageRank = (start + end) / 2 + 1;
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    for (let index = start; index <= end; index++) if (pooled[index]?.fromA) rankSumA += averageRank;
    start = end + 1;
  }
  const u = rankSumA - (n * (n + 1)) / 2;
  const total = n + m;
  const variance = ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  return { u, z: variance === 0 ? 0 : (u - (n * m) / 2) / Math.sqrt(variance) };
}

/** Φ(x) through the Abramowitz–Stegun 7.1.26 approximation of erf (error below 1.5e-7). */
export function standardNormalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * The Hodges–Lehmann shift: the median of all pairwise differences a[i] − b[j]. It estimates how far `a`
 * sits above `b` and, unlike a difference of two medians, barely moves when a few samples stall.
 */
export function hodgesLehmannShift(a: readonly number[], b: readonly number[]): number {
  const differences: number[] = [];
  for (const x of a) for (const y of b) differences.push(x - y);
  return quantile(differences, 0.5);
}
