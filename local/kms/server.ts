import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scope } from './arn.js';
import { InternalError, KmsError, UnknownOperationError } from './errors.js';
import { KeyStore } from './key-store.js';
import { findOperation } from './operations/index.js';
import { ClientDisconnected, operationName, parseBody, readBody, regionFromAuthorization, sendError, sendResult } from './protocol.js';

/**
 * A local stand-in for AWS KMS that the unmodified @aws-sdk/client-kms talks to through its
 * endpoint setting. SigV4 signatures are not checked; only the region is taken from them.
 */

export interface KmsEmulatorOptions {
  /** Keys are kept in `<dataDir>/kms/keys.json` and survive restarts. */
  dataDir: string;
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Defaults to loopback: the emulator holds private keys and checks no credentials. */
  host?: string;
  /** Used when a request carries no SigV4 credential scope. */
  region?: string;
  accountId?: string;
  log?: (line: string) => void;
  /** Epoch milliseconds; lets tests move past a key's deletion date. */
  now?: () => number;
}

export interface KmsEmulator {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startKmsEmulator(options: KmsEmulatorOptions): Promise<KmsEmulator> {
  const store = await KeyStore.open(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const defaultRegion = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);

  async function answer(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const raw = await readBody(request, MAX_BODY_BYTES);
    if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://localhost').pathname !== '/') {
      throw new UnknownOperationError(`${request.method} ${request.url}`);
    }
    const name = operationName(request.headers);
    const operation = findOperation(name);
    if (!operation) throw new UnknownOperationError(name);
    const body = parseBody(raw);
    const scope: Scope = { region: regionFromAuthorization(request.headers.authorization) ?? defaultRegion, accountId };
    await store.purgeExpired(now());
    sendResult(response, requestId, await operation(body, { store, scope, now }));
  }

  // Whatever a request contains, it gets an AWS-shaped answer and the server keeps running.
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const started = Date.now();
    const target = request.headers['x-amz-target'] ?? '-';
    try {
      await answer(request, response, requestId);
      log(`kms ${target} 200 ${Date.now() - started}ms`);
    } catch (caught) {
      if (caught instanceof ClientDisconnected) {
        log(`kms ${target} client disconnected`);
        return;
      }
      if (!(caught instanceof KmsError)) {
        log(`kms ${target} internal error: ${caught instanceof Error ? (caught.stack ?? caught.message) : String(caught)}`);
      }
      const error = caught instanceof KmsError ? caught : new InternalError();
      if (!response.headersSent) sendError(response, requestId, error);
      log(`kms ${target} ${error.status} ${error.type} ${Date.now() - started}ms`);
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`kms listening on ${endpoint}, data in ${options.dataDir}`);

  return {
    endpoint,
    port,
    async close() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      // SDK clients keep connections alive; without this close() would wait for them to time out.
      server.closeAllConnections();
      await closed;
      await store.flush();
    },
  };
}
