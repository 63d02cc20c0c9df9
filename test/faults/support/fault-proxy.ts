import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/**
 * What a dependency does to one operation:
 * - `error`: answers with an AWS JSON-protocol error (what KMS or DynamoDB send when throttling, when a
 *   key is disabled, …), so the real SDK parses it, classifies it and applies its retry policy;
 * - `hang`: reads the request and never answers, so only the SDK's own timeouts can end the call.
 */
export type Fault = { kind: 'error'; status: number; type: string; message: string } | { kind: 'hang' };

export const awsError = (type: string, message: string, status = 400): Fault => ({ kind: 'error', status, type, message });
export const HANG: Fault = { kind: 'hang' };

/**
 * An HTTP proxy in front of a real emulator (KMS or DynamoDB of the test stack), pointed at through the
 * SDK's standard endpoint setting. Operations (the X-Amz-Target header, e.g. `TrentService.Sign` or
 * `DynamoDB_20120810.GetItem`) pass through untouched until a fault is injected for them; `stop()` closes
 * the port, so connections are refused, and `start()` opens the same port again.
 */
export interface FaultProxy {
  readonly endpoint: string;
  inject(operation: string, fault: Fault): void;
  clear(): void;
  /** Requests seen for an operation (every SDK attempt counts), since the last reset. */
  attempts(operation: string): number;
  resetAttempts(): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const faults = new Map<string, Fault>();
  const attempts = new Map<string, number>();
  const sockets = new Set<Socket>();

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => handle(incoming, outgoing, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function handle(incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer): void {
    const operation = String(incoming.headers['x-amz-target'] ?? '');
    attempts.set(operation, (attempts.get(operation) ?? 0) + 1);
    const fault = faults.get(operation);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'error') {
      outgoing.writeHead(fault.status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'fault-proxy' });
      outgoing.end(JSON.stringify({ __type: fault.type, message: fault.message }));
      return;
    }
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    forwarded.end(body);
  }

  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (operation, fault) => void faults.set(operation, fault),
    clear: () => faults.clear(),
    attempts: (operation) => attempts.get(operation) ?? 0,
    resetAttempts: () => attempts.clear(),
    stop,
    start: listen,
    close: stop,
  };
}

/**
 * A TCP server that accepts connections and never says a word — not even an HTTP status line. Only a
 * client-side timeout ends a request sent to it.
 */
export async function startBlackHole(): Promise<{ endpoint: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
