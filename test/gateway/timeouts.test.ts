import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../local/gateway/server.js';
import { loadTemplate } from '../../local/template/index.js';
import { BASE_ENV, FIXTURE_INPUTS, FIXTURE_TEMPLATE } from './support.js';

/**
 * A client that sends its request a byte at a time must not hold a connection open: the gateway closes
 * it once the headers or the whole request take longer than their limits (short ones here, so the test
 * does not wait the real 10 s / 30 s).
 */
let gateway: Gateway;
beforeAll(async () => {
  const template = await loadTemplate(FIXTURE_TEMPLATE, FIXTURE_INPUTS);
  gateway = await startGateway({ template, baseEnv: BASE_ENV, log: () => undefined, headersTimeoutMs: 300, requestTimeoutMs: 600 });
});
afterAll(async () => {
  await gateway.close();
});

/** Writes `head` at once, then one byte of `trickle` every 50 ms; resolves with what the server sent once it closed. */
function trickle(head: string, trickled: string): Promise<{ answer: string; bytesSent: number }> {
  const { hostname, port } = new URL(gateway.url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent < trickled.length && socket.writable) socket.write(trickled[sent++]!);
      }, 50);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer: Buffer.concat(chunks).toString('latin1'), bytesSent: sent });
    });
  });
}

describe('slow clients', () => {
  it('answers 408 and closes a connection whose body trickles in past the request timeout', async () => {
    const body = 'x'.repeat(1_000);
    const { answer, bytesSent } = await trickle(`POST /public/upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`, body);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(bytesSent).toBeLessThan(body.length);
  });

  it('answers 408 and closes a connection whose headers trickle in past the headers timeout', async () => {
    const headers = `X-Slow: ${'y'.repeat(1_000)}\r\n\r\n`;
    const { answer, bytesSent } = await trickle('GET /public HTTP/1.1\r\nHost: x\r\n', headers);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(bytesSent).toBeLessThan(headers.length);
  });

  it('keeps serving requests sent at once', async () => {
    expect((await fetch(`${gateway.url}/public`)).status).toBe(200);
  });
});
