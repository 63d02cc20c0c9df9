import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startKmsEmulator, type KmsEmulator, type KmsEmulatorOptions } from '../../local/kms/server.js';

export interface SigningKey {
  KeyId: string;
  Arn: string;
}

/** An emulator on a free port over a fresh data directory, and real SDK clients pointed at it. */
export interface KmsFixture {
  dataDir: string;
  emulator: KmsEmulator;
  /** A client for us-east-1, the emulator's default region. */
  kms: KMSClient;
  clientFor(region: string): KMSClient;
  createSigningKey(client?: KMSClient, keySpec?: 'RSA_2048' | 'RSA_3072' | 'RSA_4096'): Promise<SigningKey>;
  /** Stops the emulator and starts a new one on the same port and data directory. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

export async function startKmsFixture(options: Partial<KmsEmulatorOptions> = {}): Promise<KmsFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kms-emulator-'));
  const clients: KMSClient[] = [];
  const start = (port = options.port) => startKmsEmulator({ ...options, dataDir, ...(port !== undefined && { port }) });

  const fixture: KmsFixture = {
    dataDir,
    emulator: await start(),
    kms: undefined as unknown as KMSClient,
    clientFor(region) {
      // One attempt: a retried 500 would hide what the emulator answered first.
      const client = new KMSClient({ endpoint: fixture.emulator.endpoint, region, credentials, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async createSigningKey(client = fixture.kms, keySpec = 'RSA_2048') {
      const { KeyMetadata: metadata } = await client.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' }));
      if (!metadata?.KeyId || !metadata.Arn) throw new Error('CreateKey returned no key');
      return { KeyId: metadata.KeyId, Arn: metadata.Arn };
    },
    async restart() {
      const { port } = fixture.emulator;
      await fixture.emulator.close();
      fixture.emulator = await start(port);
    },
    async close() {
      for (const client of clients) client.destroy();
      await fixture.emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  fixture.kms = fixture.clientFor('us-east-1');
  return fixture;
}
