// The cold-start report's arithmetic: ratios, size changes, which functions can be compared, and whether
// the reference build may reuse this checkout's node_modules. Pure, so test/bench checks it on real data.
import type { CallCounts } from '../lib/emulator-calls.js';
import { median } from '../lib/stats.js';

/** A median against its reference's median, measured in the same run. */
export function ratio(value: number, reference: number): number {
  return value / reference;
}

/** A ratio measured round by round: the median of the rounds' ratios and a 95 % interval of that median. */
export interface PairedRatio {
  value: number;
  low: number;
  high: number;
}

const BOOTSTRAP_RESAMPLES = 2_000;

/**
 * `values[i] / references[i]` for each round i, both measured in that round, and the median of those ratios,
 * with a bootstrap 95 % interval (rounds resampled with replacement). Two fresh processes started one after
 * the other share the machine's state of that moment (here their times correlate at about 0.65), so the
 * ratio within a round cancels what moves both, and its median is about three times as precise as the ratio
 * of the two medians. The resampling is seeded by the samples, so the same samples give the same interval.
 */
export function pairedRatio(values: readonly number[], references: readonly number[]): PairedRatio {
  if (values.length !== references.length || values.length === 0) {
    throw new Error(`paired ratio: ${values.length} values against ${references.length} references; each round needs both`);
  }
  const ratios = values.map((value, round) => value / references[round]!);
  const random = seededRandom(ratios.reduce((seed, r) => (seed * 31 + Math.round(r * 1e6)) >>> 0, ratios.length));
  const medians: number[] = [];
  for (let resample = 0; resample < BOOTSTRAP_RESAMPLES; resample++) {
    medians.push(median(Array.from({ length: ratios.length }, () => ratios[Math.floor(random() * ratios.length)]!)));
  }
  medians.sort((a, b) => a - b);
  return { value: median(ratios), low: medians[Math.floor(0.025 * BOOTSTRAP_RESAMPLES)]!, high: medians[Math.ceil(0.975 * BOOTSTRAP_RESAMPLES) - 1]! };
}

/** "1.12× (95 % 1.09–1.15)" */
export function formatPairedRatio({ value, low, high }: PairedRatio): string {
  return `${value.toFixed(2)}× (95 % ${low.toFixed(2)}–${high.toFixed(2)})`;
}

/** mulberry32: a small deterministic generator, enough for resampling indices. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Ratios that pass `max` (inclusive) and those that do not, named, with their intervals when measured in pairs. */
export function judge(ratios: readonly { id: string; ratio: number | PairedRatio }[], max: number): { met: boolean; text: string } {
  const value = (r: number | PairedRatio) => (typeof r === 'number' ? r : r.value);
  const shown = (r: number | PairedRatio) => (typeof r === 'number' ? `${r.toFixed(2)}×` : formatPairedRatio(r));
  return { met: ratios.every(({ ratio: r }) => value(r) <= max), text: ratios.map(({ id, ratio: r }) => `${id} ${shown(r)}`).join(', ') };
}

export interface SizeChange {
  bytes: number;
  /** Of the reference's size; negative when the bundle shrank. */
  percent: number;
}

export function sizeChange(now: number, then: number): SizeChange {
  return { bytes: now - then, percent: ((now - then) / then) * 100 };
}

/** "+12.3 KB (+4.5%)", "−8.0 KB (−3.1%)": KB of 1000 bytes, as the bundle sizes are shown. */
export function formatSizeChange({ bytes, percent }: SizeChange): string {
  const sign = (value: number) => (value < 0 ? '−' : '+');
  return `${sign(bytes)}${Math.abs(bytes / 1000).toFixed(1)} KB (${sign(percent)}${Math.abs(percent).toFixed(1)}%)`;
}

/** The logical ids present in both function lists, in the order of `current`. */
export function functionsInBoth(current: readonly { logicalId: string }[], reference: readonly { logicalId: string }[]): string[] {
  const old = new Set(reference.map(({ logicalId }) => logicalId));
  return current.map(({ logicalId }) => logicalId).filter((id) => old.has(id));
}

/**
 * Why `installed` cannot stand in for an install of `required` (a package.json's dependencies, pinned
 * versions): each package missing or at another version. Empty when every one is there at its version.
 */
export function dependencyMismatches(required: Readonly<Record<string, string>>, installed: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(required)
    .filter(([name, version]) => installed[name] !== version)
    .map(([name, version]) => `${name}@${version} (installed: ${installed[name] ?? 'none'})`);
}

/** Calls per run by operation ("GetItem 1, GetPublicKey 1, Sign 1"), sorted, from emulator counts over `runs` runs. */
export function callsPerRun(counts: CallCounts, runs: number): string {
  const perOperation = new Map<string, number>();
  for (const [target, count] of Object.entries(counts)) {
    const operation = target.slice(target.lastIndexOf('.') + 1);
    perOperation.set(operation, (perOperation.get(operation) ?? 0) + count);
  }
  const text = [...perOperation]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${operation} ${Number((count / runs).toFixed(2))}`)
    .join(', ');
  return text || 'none';
}
