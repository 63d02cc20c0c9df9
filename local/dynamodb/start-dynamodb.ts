import dynalite from 'dynalite';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

export interface RunningDynamoDb {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/** dynalite (DynamoDB's API on LevelDB), persisted under `path`; tables become ACTIVE at once. */
export async function startDynamoDb(options: { path: string; port?: number; host?: string }): Promise<RunningDynamoDb> {
  await mkdir(options.path, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
