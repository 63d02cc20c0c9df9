import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (node --cpu-prof) a summary needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where time goes, by area of this stack; the first matching pattern wins. Time spent inside Node.js itself
 * (crypto, http, streams) is charged to the nearest caller that belongs to an area, so the KMS emulator's RSA
 * signing counts as the KMS emulator's.
 */
const AREAS: [string, RegExp][] = [
  ['KMS emulator', /^(?!.*node_modules).*\/local\/kms\//],
  ['DynamoDB emulator (dynalite, LevelDB)', /node_modules\/(dynalite|[^/]*level[^/]*|lazy|big\.js|buffer-crc32|once|async)\//],
  ['local gateway', /^(?!.*node_modules).*\/local\/gateway\//],
  ['local runtime (worker hand-off)', /^(?!.*node_modules).*\/local\/runtime\//],
  ['our functions and shared code', /^(?!.*node_modules).*\/(functions|shared)\//],
  ['AWS SDK (client side)', /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//],
  ['middy, Powertools, zod', /node_modules\/(@middy|@aws-lambda-powertools|zod)\//],
  ['TypeScript loader (tsx)', /node_modules\/(tsx|esbuild)\//],
  ['node-oidc-provider, koa, jose', /node_modules\/(oidc-provider|koa[^/]*|@koa|jose|quick-lru|nanoid|raw-body|@?koa)\//],
  ['benchmark harness', /^(?!.*node_modules).*\/bench\//],
];
const CORE = 'Node.js core with no caller above (sockets, timers, module loading)';

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of the profile's duration the thread was not idle. */
  busyPercent: number;
  /** Self time by area, largest first, idle left out. */
  areas: { area: string; percent: number }[];
  /** The functions with the most self time. */
  top: { name: string; percent: number }[];
}

export async function summarizeProfile(file: string, topCount = 8): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const areaOf = (id: number): string => {
    const leaf = frames.get(id)!;
    if (leaf.functionName.startsWith('(')) return leaf.functionName;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const area = AREAS.find(([, pattern]) => pattern.test(frames.get(at)!.url));
      if (area !== undefined) return area[0];
    }
    return CORE;
  };
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  });
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, time] of self) {
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') continue;
    busy += time;
    const area = areaOf(id);
    byArea.set(area, (byArea.get(area) ?? 0) + time);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const share = (entries: Map<string, number>, count: number) =>
    [...entries].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, time]) => ({ name, percent: (100 * time) / busy }));
  return {
    file,
    totalMs: total / 1000,
    busyPercent: (100 * busy) / total,
    areas: share(byArea, 12).map(({ name, percent }) => ({ area: name, percent })),
    top: share(byFunction, topCount),
  };
}

export async function summarizeProfiles(dir: string): Promise<ProfileSummary[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.cpuprofile'));
  const summaries = await Promise.all(files.map((name) => summarizeProfile(join(dir, name))));
  // The busiest threads first; a tiny profile is a loader thread or an idle worker.
  return summaries.filter((summary) => summary.totalMs > 1000).sort((a, b) => b.totalMs - a.totalMs);
}

export function formatProfileSummary(summary: ProfileSummary): string {
  return [
    `${summary.file} (${(summary.totalMs / 1000).toFixed(1)} s, busy ${summary.busyPercent.toFixed(0)}%; self time, idle excluded)`,
    `  by area: ${summary.areas.map(({ area, percent }) => `${area} ${percent.toFixed(0)}%`).join(', ')}`,
    ...summary.top.map(({ name, percent }) => `  ${percent.toFixed(1).padStart(5)}%  ${name}`),
  ].join('\n');
}
