import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { AliasRecord, KeyRecord } from './key-record.js';

/**
 * The emulator's whole state as one JSON file. Private keys are stored as PKCS#8 PEM: this is a
 * local development stand-in for an HSM, and the file lives in a throwaway data directory.
 */

const storedKey = z.object({
  keyId: z.string().min(1),
  region: z.string().min(1),
  keySpec: z.enum(['RSA_2048', 'RSA_3072', 'RSA_4096']),
  keyUsage: z.literal('SIGN_VERIFY'),
  description: z.string(),
  tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })),
  policy: z.string().optional(),
  creationDate: z.number(),
  state: z.enum(['Enabled', 'Disabled', 'PendingDeletion']),
  deletionDate: z.number().optional(),
  pendingWindowInDays: z.number().int().optional(),
  privateKeyPem: z.string().min(1),
});

const storedAlias = z.object({
  aliasName: z.string().min(1),
  region: z.string().min(1),
  targetKeyId: z.string().min(1),
  creationDate: z.number(),
  lastUpdatedDate: z.number(),
});

const stateFile = z.object({
  version: z.literal(1),
  keys: z.array(storedKey),
  aliases: z.array(storedAlias),
});

export interface State {
  keys: KeyRecord[];
  aliases: AliasRecord[];
}

function toStoredKey({ privateKey, publicKey: _publicKey, ...rest }: KeyRecord): z.infer<typeof storedKey> {
  return { ...rest, tags: [...rest.tags], privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function fromStoredKey({ privateKeyPem, ...rest }: z.infer<typeof storedKey>): KeyRecord {
  const privateKey = createPrivateKey(privateKeyPem);
  return { ...rest, privateKey, publicKey: createPublicKey(privateKey) };
}

/** A missing file is an empty emulator; a corrupt one is an error worth stopping for. */
export async function readStateFile(path: string): Promise<State> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], aliases: [] };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`KMS state file ${path} is not JSON`, { cause: error });
  }
  const parsed = stateFile.safeParse(json);
  if (!parsed.success) throw new Error(`KMS state file ${path} is not valid: ${parsed.error.message}`);
  return { keys: parsed.data.keys.map(fromStoredKey), aliases: parsed.data.aliases };
}

/** Write-then-rename, so a crash mid-write leaves the previous state rather than half a file. */
export async function writeStateFile(path: string, state: State): Promise<void> {
  const document: z.infer<typeof stateFile> = { version: 1, keys: state.keys.map(toStoredKey), aliases: state.aliases };
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
