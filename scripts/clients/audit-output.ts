import type { AuditRecord } from '#shared/audit/audit-record.js';
import { UsageError } from './args.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO date or time (2025-03-01, 2025-03-01T12:00:00Z), or an age such as 30m, 24h, 7d. */
export function sinceTime(value: string, now: Date): string {
  const age = /^(\d{1,6})([mhd])$/.exec(value);
  if (age !== null) return new Date(now.getTime() - Number(age[1]) * UNITS[age[2]!]!).toISOString();
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) ? new Date(value) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) throw new UsageError(`--since expects an ISO date or time, or an age like 30m, 24h or 7d; got "${value}"`);
  return at.toISOString();
}

/** One line per change, oldest first: when, who, what, on which client, and the fields it changed. */
export function renderAuditTrail(records: readonly AuditRecord[], { json }: { json: boolean }): string {
  if (json) return `${JSON.stringify(records, null, 2)}\n`;
  if (records.length === 0) return 'No registry changes recorded.\n';
  const sorted = [...records].sort((a, b) => a.eventKey.localeCompare(b.eventKey));
  return `${sorted
    .map((record) => {
      const changes = Object.entries(record.changes).map(([field, [before, after]]) => `    ${field}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      return [`${record.at}  ${record.action.padEnd(14)} ${record.clientId}  by ${record.actor}`, ...changes].join('\n');
    })
    .join('\n')}\n`;
}
