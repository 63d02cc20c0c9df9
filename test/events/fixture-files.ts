import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PROJECT_ROOT } from '../invoke/script-process.js';

export const EVENTS_DIR = join(PROJECT_ROOT, 'events');
export const ENV_VARS_FILE = 'env.local.json';

/** Every fixture under events/ (`token/basic-auth.json`, …): the JSON files except the env-vars file. */
export async function fixtureFiles(dir = EVENTS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((file) => file !== ENV_VARS_FILE)
    .sort();
}

export async function readJson<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** The event with one header replaced, in both header maps, whatever its case there. */
export function withHeader(event: APIGatewayProxyEvent, name: string, value: string): APIGatewayProxyEvent {
  const replace = <V>(map: Record<string, V> | null, replacement: V): Record<string, V> => ({
    ...Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => key.toLowerCase() !== name.toLowerCase())),
    [name]: replacement,
  });
  return { ...event, headers: replace(event.headers, value), multiValueHeaders: replace(event.multiValueHeaders, [value]) };
}
