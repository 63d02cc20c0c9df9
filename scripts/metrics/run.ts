import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { METRICS_FILE, type MetricsSnapshot } from '../../local/metrics/emf-counters.js';
import { formatMetricsSummary } from './summary.js';

export interface MetricsCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

const USAGE = `Usage: npm run metrics -- [--json] [--stack-file PATH]

Totals of the metrics the running local stack's functions emitted (CloudWatch embedded metric format records
in their output) since it started: tokens issued, refusals by reason, dependency failures by kind, KMS Sign
latency, authorizer decisions by outcome, with per-client sums. On AWS the same records feed the stack's
CloudWatch metrics, dashboard and Logs Insights queries.
`;

/** Reads `<dataDir>/metrics.json` of the stack `.local/stack.json` describes (the local stack keeps it current). */
export async function runMetricsCli(argv: readonly string[], io: MetricsCliIo, { projectRoot }: { projectRoot: string }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' }, 'stack-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  const given = values['stack-file'] ?? io.env.OAUTH_STACK_FILE ?? join('.local', 'stack.json');
  const stackFile = isAbsolute(given) ? given : join(projectRoot, given);
  let dataDir: string;
  try {
    ({ dataDir } = JSON.parse(await readFile(stackFile, 'utf8')) as { dataDir: string });
  } catch {
    io.stderr(`error: local stack not running: run npm start (no readable ${stackFile})\n`);
    return 2;
  }
  let snapshot: MetricsSnapshot;
  try {
    snapshot = JSON.parse(await readFile(join(dataDir, METRICS_FILE), 'utf8')) as MetricsSnapshot;
  } catch {
    snapshot = { since: 'the stack started', updatedAt: new Date().toISOString(), series: [] };
  }
  io.stdout(values.json === true ? `${JSON.stringify(snapshot, null, 2)}\n` : formatMetricsSummary(snapshot));
  return 0;
}
