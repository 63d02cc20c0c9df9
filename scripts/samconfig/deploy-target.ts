// The deploy target samconfig.toml names for `sam deploy`: the stack name and region every AWS command defaults to.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

/** `stack_name` of the `default` environment in samconfig.toml, the file `sam deploy` itself reads. */
export async function samconfigStackName(projectRoot: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(projectRoot, 'samconfig.toml'), 'utf8');
  } catch {
    return undefined;
  }
  return readSamconfigStackName(text);
}

export function readSamconfigStackName(toml: string): string | undefined {
  let section = '';
  for (const line of toml.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line);
    if (header) section = header[1]!.trim();
    const entry = /^\s*stack_name\s*=\s*"([^"]*)"\s*(?:#.*)?$/.exec(line);
    if (entry && section.startsWith('default.') && entry[1] !== '') return entry[1];
  }
  return undefined;
}
