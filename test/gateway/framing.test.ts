import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureGateway, type FixtureGateway } from './support.js';

let fixture: FixtureGateway;
beforeAll(async () => {
  fixture = await startFixtureGateway();
});
afterAll(async () => {
  await fixture.gateway.close();
});

/** Sends bytes as written (no client library fixes the framing) and returns everything the server sent until it closed. */
function exchange(raw: string): Promise<string> {
  const { hostname, port } = new URL(fixture.gateway.url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

describe('request framing (RFC 9112)', () => {
  it('answers 400 and closes the connection when Host appears twice (§3.2)', async () => {
    const answer = await exchange('GET /public HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: keep-alive\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).not.toContain('X-Handler');
  });

  it('answers 501 to a transfer coding other than chunked (§6.1) instead of passing its bytes on undecoded', async () => {
    const answer = await exchange(
      'POST /public/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: keep-alive\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).not.toContain('X-Handler');
  });

  it('still reads a chunked body', async () => {
    const answer = await exchange('POST /public/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain('"body":"hello"');
  });
});
