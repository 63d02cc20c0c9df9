import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSamconfigStackName } from '../clients/connection.js';

/** What `sam deploy` itself would use: the default environment's stack_name and region in samconfig.toml. */
export async function samconfigDeployTarget(projectRoot: string): Promise<{ stackName?: string; region?: string }> {
  let text: string;
  try {
    text = await readFile(join(projectRoot, 'samconfig.toml'), 'utf8');
  } catch {
    return {};
  }
  const stackName = readSamconfigStackName(text);
  const region = readSamconfigRegion(text);
  return { ...(stackName === undefined ? {} : { stackName }), ...(region === undefined ? {} : { region }) };
}

/** `region` of [default.deploy.parameters], else [default.global.parameters]. */
export function readSamconfigRegion(toml: string): string | undefined {
  const found: Record<string, string> = {};
  let section = '';
  for (const line of toml.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line);
    if (header) section = header[1]!.trim();
    const entry = /^\s*region\s*=\s*"([^"]*)"\s*(?:#.*)?$/.exec(line);
    if (entry && entry[1] !== '') found[section] ??= entry[1]!;
  }
  return found['default.deploy.parameters'] ?? found['default.global.parameters'];
}
