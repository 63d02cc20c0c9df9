import { createServer } from 'node:net';

/** The API port is taken (often by another `npm start`, or any server on 3000). */
export class PortInUse extends Error {
  override readonly name = 'PortInUse';

  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`Port ${port} on ${host} is already in use.`);
  }
}

/**
 * Fails with PortInUse when `port` cannot be bound on `host`. Checked before anything is created, so a start
 * that cannot serve leaves no data directory, keys or tables behind; the gateway binds it again moments later.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUse(port, host) : error));
    server.listen({ port, host, exclusive: true }, () => resolve());
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
