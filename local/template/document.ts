// A template as read from disk: its location (function entry points are relative to it) and its JSON body.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCloudFormationYaml } from './cloudformation-yaml.js';
import { InvalidTemplateError } from './errors.js';
import { isRecord } from './shape.js';

export interface TemplateDocument {
  /** Absolute path of the template file. */
  path: string;
  /** Directory the template's relative paths (CodeUri, EntryPoints) start from. */
  dir: string;
  body: Record<string, unknown>;
}

export async function readTemplate(templatePath: string): Promise<TemplateDocument> {
  const absolute = path.resolve(templatePath);
  return parseTemplate(await readFile(absolute, 'utf8'), absolute);
}

export function parseTemplate(text: string, templatePath: string): TemplateDocument {
  const absolute = path.resolve(templatePath);
  const body = parseCloudFormationYaml(text, absolute);
  if (!isRecord(body) || !isRecord(body.Resources)) {
    throw new InvalidTemplateError(`${absolute}: a template needs a Resources map`);
  }
  return { path: absolute, dir: path.dirname(absolute), body };
}
