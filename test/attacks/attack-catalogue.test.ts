import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization, testStack } from '../support/stack-clients.js';
import { bearerTokenAttacks, bearerTokenControls } from './bearer-token-attacks.js';
import { productsAttacks, productsControls } from './products-attacks.js';
import { expectRefusal, type AttackCase, type Control } from './support/attack-case.js';
import { DELETE, setUpAttackFixtures, type AttackFixtures, type Credentials } from './support/attack-fixtures.js';
import type { RawResponse } from './support/raw-http.js';
import { tokenEndpointAttacks, tokenEndpointControls } from './token-endpoint-attacks.js';

/**
 * The attack catalogue, over real HTTP against the test stack (API Gateway emulator → TOKEN authorizer →
 * functions → DynamoDB and KMS emulators). Each hostile input has its exact expected status and error;
 * none may be accepted. Positive controls show the same paths do accept what they should. The last block
 * runs after everything else in this file and proves that no credential the catalogue sent or received
 * reached a log line or a response body.
 */
const catalogue: Record<string, AttackCase[]> = {
  'token endpoint': tokenEndpointAttacks,
  'access tokens at the authorizer': bearerTokenAttacks,
  'products API': productsAttacks,
};
const controls: Record<string, Control[]> = {
  'token endpoint': tokenEndpointControls,
  'access tokens at the authorizer': bearerTokenControls,
  'products API': productsControls,
};
const allAttacks = Object.values(catalogue).flat();

let fx: AttackFixtures;
let logOffset = 0;
const refusals: { attack: string; response: RawResponse }[] = [];

beforeAll(async () => {
  logOffset = await fileSize(testStack().logFile);
  fx = await setUpAttackFixtures();
});

afterAll(async () => {
  if (fx === undefined) return;
  for (const id of fx.createdProducts) {
    await fx.send({ method: 'DELETE', path: `/products/${id}`, headers: { Authorization: `Bearer ${fx.tokens[DELETE]}` } });
  }
  fx.close();
});

for (const [surface, attacks] of Object.entries(catalogue)) {
  describe(`attack catalogue: ${surface}`, () => {
    it.each(attacks.map((attack) => [attack.attack, attack] as const))('refuses %s', async (_, attack) => {
      const response = await fx.send(await attack.request(fx));
      refusals.push({ attack: attack.attack, response });
      expectRefusal(response, attack.expect);
    });
  });
}

for (const [surface, accepted] of Object.entries(controls)) {
  describe(`positive controls: ${surface}`, () => {
    it.each(accepted.map((control) => [control.name, control] as const))('accepts %s', async (_, control) => {
      const response = await fx.send(await control.request(fx));
      expect(response.status, response.text.slice(0, 300)).toBe(control.status);
      control.verify?.(response, fx);
    });
  });
}

describe('attack catalogue: client enumeration (RFC 6749 §5.2, RFC 6819 §5.1.4.2.2)', () => {
  it('answers an unknown client, a wrong, expired or removed secret, a disabled and a deleted client byte-identically', async () => {
    const wrongSecret: Credentials = { clientId: fx.reader.clientId, clientSecret: 'attacker-guess-enumeration-0000' };
    const unknown: Credentials = { clientId: `unknown-${randomUUID()}`, clientSecret: fx.reader.clientSecret };
    const answers = await Promise.all(
      [unknown, wrongSecret, fx.expired, fx.removed, fx.disabled, fx.deleted].map(async (client) => {
        const response = await fx.send({
          method: 'POST',
          path: '/oauth2/token',
          headers: { Authorization: basicAuthorization(client.clientId, client.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
        const { date: _date, 'x-amzn-requestid': _id, 'x-amz-apigw-id': _apigw, ...headers } = response.headers;
        return JSON.stringify({ status: response.status, headers, body: response.text });
      }),
    );
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0] ?? '{}')).toMatchObject({ status: 401 });
  });
});

describe('no secret leaks (after the whole catalogue)', () => {
  it(`ran ${allAttacks.length} distinct hostile inputs and accepted none`, () => {
    expect(new Set(allAttacks.map((attack) => attack.attack)).size).toBe(allAttacks.length);
    expect(allAttacks.length).toBeGreaterThanOrEqual(60);
    expect(refusals.map((refusal) => refusal.attack).sort()).toEqual(allAttacks.map((attack) => attack.attack).sort());
    // A connection closed before any answer (status 0) is a refusal too; only a 2xx is an acceptance.
    expect(refusals.filter(({ response }) => response.status >= 200 && response.status < 300)).toEqual([]);
  });

  it('echoes no client secret, Authorization value or access token in any refusal (body or headers)', () => {
    expect(fx.ledger.size).toBeGreaterThan(100);
    const echoed = refusals.flatMap(({ attack, response }) =>
      fx.ledger.leaksIn(`${JSON.stringify(response.headers)}\n${response.text}`).map((leak) => `${attack}: ${leak.label}`),
    );
    expect(echoed).toEqual([]);
  });

  it('writes no client secret, Authorization value or access token to any log line of the stack', async () => {
    const log = await logWrittenSince(logOffset, fx);
    // The scan looks at the lines this catalogue caused: the functions said why they refused.
    for (const evidence of ['"reason":"unknown_client"', '"reason":"wrong_secret"', '"reason":"disabled"', '"reason":"expired_secret"', 'DisallowedAlgorithm', 'InvalidSignature', 'UnknownKid', 'WrongAudience']) {
      expect(log).toContain(evidence);
    }
    const leaks = fx.ledger.leaksIn(log).map((leak) => `${leak.label}: ${leak.value.slice(0, 24)}…`);
    expect(leaks).toEqual([]);
  });
});

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Function output reaches the log file asynchronously (worker stdout → the stack's log sink), so the scan
 * first sends one marked request through the token function and one through the authorizer and waits for
 * both marks: once they are in, every earlier line of those functions is too.
 */
async function logWrittenSince(offset: number, fixtures: AttackFixtures): Promise<string> {
  const mark = `leak-scan-${randomUUID()}`;
  await fixtures.send({
    method: 'POST',
    path: '/oauth2/token',
    headers: { Authorization: basicAuthorization(mark, 'attacker-guess-leak-scan-0000'), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const markedToken = await fixtures.forger.sign(fixtures.forger.validHeader({ kid: mark }), fixtures.forger.validClaims());
  await fixtures.send({ method: 'GET', path: '/products', headers: { Authorization: `Bearer ${markedToken}` } });

  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await readFrom(fixtures.stack.logFile, offset);
    const marks = text.split(mark).length - 1;
    if (marks >= 2 || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readFrom(path: string, offset: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
