import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { StackInfo } from '../stack-info.js';

/** Where tools look for a running stack unless told otherwise (relative to the project root). */
export const DEFAULT_STACK_FILE = join('.local', 'stack.json');

/** No local stack answers: the stack file is missing, or left behind by a process that has exited. */
export class StackNotRunning extends Error {
  override readonly name = 'StackNotRunning';
}

/** The stack file exists but cannot be used. */
export class InvalidStackFile extends Error {
  override readonly name = 'InvalidStackFile';
}

const stackInfoSchema: z.ZodType<StackInfo> = z.object({
  apiUrl: z.url(),
  issuer: z.url(),
  tokenEndpoint: z.url(),
  revocationEndpoint: z.url(),
  introspectionEndpoint: z.url(),
  jwksUri: z.url(),
  region: z.string().min(1),
  dynamodbEndpoint: z.url(),
  kmsEndpoint: z.url(),
  clientsTable: z.string().min(1),
  productsTable: z.string().min(1),
  revocationsTable: z.string().min(1),
  signingKeyId: z.string().min(1),
  verifyKeyIds: z.array(z.string().min(1)).min(1),
  audience: z.string().min(1),
  demoClientId: z.string().min(1),
  dataDir: z.string().min(1),
  pid: z.number().int().positive(),
});

/** `--stack-file`, else $OAUTH_STACK_FILE, else `.local/stack.json`; relative paths start at the project root. */
export function stackFilePath(projectRoot: string, given: string | undefined, env: Record<string, string | undefined>): string {
  const path = given ?? env.OAUTH_STACK_FILE ?? DEFAULT_STACK_FILE;
  return isAbsolute(path) ? path : join(projectRoot, path);
}

/** The running stack described by `stackFile` (local/stack-info.ts). */
export async function readStackFile(stackFile: string): Promise<StackInfo> {
  let text: string;
  try {
    text = await readFile(stackFile, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw new StackNotRunning(`no local stack is running: start one with npm start (no ${stackFile})`);
    throw new InvalidStackFile(`cannot read ${stackFile}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidStackFile(`${stackFile} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = stackInfoSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new InvalidStackFile(`${stackFile} is not a stack file: ${problems.join('; ')}`);
  }
  // A stack killed without its shutdown leaves the file behind; its emulators are gone with it.
  if (!isAlive(parsed.data.pid)) {
    throw new StackNotRunning(`no local stack is running: ${stackFile} names process ${parsed.data.pid}, which has exited; start one with npm start`);
  }
  return parsed.data;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}
