import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRaw } from './support/raw-http.js';

/**
 * The attack client against servers that refuse a body early, as the gateway does past its payload
 * quota: answer (or not) and close while the client is still sending. What the client reports must be
 * what happened on the wire, never an EPIPE thrown at the test.
 */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const HUGE = Buffer.alloc(11 * 1024 * 1024, 0x78);

describe('sendRaw when the server closes early', () => {
  it('reports a closed connection, not an error, when the server resets it before answering', async () => {
    const url = await serve((request) => request.socket.destroy());
    const response = await sendRaw(url, { method: 'POST', path: '/', body: HUGE });
    expect(response).toEqual({ status: 0, headers: {}, text: '', json: undefined, closedEarly: true });
  });

  it('reports the answer, or the closed connection when the reset overtook it, when the server answers and closes', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
      response.end('{"message":"Request Too Long"}', () => response.socket?.destroy());
    });
    for (let i = 0; i < 5; i += 1) {
      const response = await sendRaw(url, { method: 'POST', path: '/', body: HUGE });
      if (response.status === 0) expect(response.closedEarly).toBe(true);
      else expect(response).toMatchObject({ status: 413, json: { message: 'Request Too Long' } });
    }
  });

  it('still fails a request without a body whose connection is reset: nothing was refused early', async () => {
    const url = await serve((request) => request.socket.destroy());
    await expect(sendRaw(url, { method: 'GET', path: '/' })).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
