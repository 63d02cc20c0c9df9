// The cold-start report's arithmetic: ratios, size changes, which functions can be compared, and whether
// the reference build may reuse this checkout's node_modules. Pure, so test/bench checks it on real data.
import type { CallCounts } from '../lib/emulator-calls.js';

/** A median against its reference's median, measured in the same run. */
export function ratio(value: number, reference: number): number {
  return value / reference;
}

/** Ratios that pass `max` (inclusive) and those that do not, named. */
export function judge(ratios: readonly { id: string; ratio: number }[], max: number): { met: boolean; text: string } {
  return { met: ratios.every(({ ratio: r }) => r <= max), text: ratios.map(({ id, ratio: r }) => `${id} ${r.toFixed(2)}×`).join(', ') };
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
