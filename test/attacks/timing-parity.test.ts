import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import type { ClientStore } from '#shared/clients/client-store.js';
import { dynamoClientStore } from '#shared/clients/dynamo-client-store.js';
import { kmsTokenSigner } from '#shared/tokens/kms-token-signer.js';
import { tokenEndpoint } from '../../functions/token/token-endpoint.js';
import { assertionForm, clientAssertion, clientKeyPair, jwksOf } from '../support/client-assertions.js';
import { basicAuthorization, clientStoreFor, createTestClient, stackRegistry, testStack, type TestClient } from '../support/stack-clients.js';
import { captureOutput } from '../token/support/log-capture.js';
import { lambdaContext, tokenEvent } from '../token/support/proxy-events.js';
import { sendRaw } from './support/raw-http.js';
import { describeVerdict, hodgesLehmannShift, judgeParity, mannWhitney, quantile, type ParityTolerance, type ParityVerdict } from './support/timing-statistics.js';

/**
 * RFC 6819 §4.3.5 (online guessing of client secrets): an unknown client id and a wrong secret must not
 * be told apart, neither by the answer (the catalogue checks the bytes) nor by how long it takes. Both are
 * measured interleaved, so whatever else loads the machine loads both samples alike, then compared by medians,
 * trimmed means and the Mann-Whitney statistic — robust to the stalls a shared 2-core runner produces.
 * The detector's power is shown on the same path with the classic enumeration bug put back in.
 */
const SAMPLES = 200;
const WARM_UP = 20;
/** Over HTTP a refusal costs ~10 ms with ms-level jitter; a skipped DynamoDB read saves ~3 ms and moves A past 0.9. */
const HTTP_TOLERANCE: ParityTolerance = { milliseconds: 2, effect: 0.15 };
/** In process a refusal costs a few ms, most of it the DynamoDB read that a skipped lookup would save. */
const IN_PROCESS_TOLERANCE: ParityTolerance = { milliseconds: 1, relative: 0.25, effect: 0.15 };

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Attempt = () => Promise<number>;

let client: TestClient;
let keyClientId: string;
const wrongSecret = () => `attacker-guess-${randomUUID()}`;
const unknownId = () => `unknown-${randomUUID()}`;
/** The attacker's own key: it signs assertions for ids it does not own, registered or not. */
const attackerKey = clientKeyPair('RS256');
const forgedAssertion = (clientId: string) =>
  assertionForm(clientAssertion(attackerKey, { clientId, audience: testStack().issuer, header: { kid: undefined } })).toString();

beforeAll(async () => {
  client = await createTestClient({ name: 'timing parity client' });
  keyClientId = (await stackRegistry().createKeyClient({ name: 'timing parity key client', scopes: ['products:read'], jwks: jwksOf(clientKeyPair('RS256')) })).clientId;
});

interface Samples {
  unknown: number[];
  wrong: number[];
  /** Bare reads of the clients table, for an id that is not there and for the known client's. */
  readUnknown: number[];
  readKnown: number[];
}

/**
 * Runs the two attempts and the two bare table reads in an order that rotates every round, after a
 * warm-up, so whatever loads the machine loads all four samples alike.
 */
async function interleaved(unknown: Attempt, wrong: Attempt, knownClientId: string): Promise<Samples> {
  const store = clientStoreFor(testStack());
  const read = (clientId: () => string): Attempt => async () => {
    const started = performance.now();
    await store.find(clientId());
    return performance.now() - started;
  };
  const samples: Samples = { unknown: [], wrong: [], readUnknown: [], readKnown: [] };
  const attempts: [keyof Samples, Attempt][] = [
    ['unknown', unknown],
    ['wrong', wrong],
    ['readUnknown', read(unknownId)],
    ['readKnown', read(() => knownClientId)],
  ];
  for (let i = 0; i < WARM_UP; i++) for (const [, attempt] of attempts) await attempt();
  for (let round = 0; round < SAMPLES; round++) {
    for (let k = 0; k < attempts.length; k++) {
      const [name, attempt] = attempts[(round + k) % attempts.length] as [keyof Samples, Attempt];
      samples[name].push(await attempt());
    }
  }
  return samples;
}

/**
 * A found item costs more to return and validate than a missing one (about 0.1–0.4 ms on the emulator, for
 * a key client's larger record the most): that is the table's answer, not this code's, and every design
 * that looks a client up pays it. It is measured in the same run and taken out, so what is judged is what
 * the refusal path adds. A skipped lookup, the enumeration bug, saves the whole read and still fails.
 */
function judgeBeyondLookup(samples: Samples, tolerance: ParityTolerance): { verdict: ParityVerdict; description: string } {
  const lookupOffset = Math.max(0, hodgesLehmannShift(samples.readKnown, samples.readUnknown));
  const verdict = judgeParity(samples.unknown.map((ms) => ms + lookupOffset), samples.wrong, tolerance);
  return { verdict, description: `${describeVerdict(verdict)}, after the table's own found-vs-missing difference of ${lookupOffset.toFixed(3)} ms` };
}

/** The two attempts interleaved with the bare reads, and judged after the table's own difference is taken out. */
async function expectTimingParity(unknown: Attempt, wrong: Attempt, knownClientId: string, tolerance: ParityTolerance): Promise<void> {
  const { verdict, description } = judgeBeyondLookup(await interleaved(unknown, wrong, knownClientId), tolerance);
  expect(verdict.reasons, description).toEqual([]);
}

async function timed(request: () => Promise<number>, expectedStatus = 401): Promise<number> {
  const started = performance.now();
  const status = await request();
  const elapsed = performance.now() - started;
  expect(status).toBe(expectedStatus);
  return elapsed;
}

describe('the timing detector', () => {
  const jitter = (seed: number) => Array.from({ length: SAMPLES }, (_, i) => 10 + ((i * 7919 + seed) % 97) / 25);

  it('computes U and A as the textbook example does', () => {
    // a > b in 8 of the 9 pairings (7 vs 5 is one of them), and one tie scores half.
    const { u } = mannWhitney([5, 7, 9], [4, 5, 6]);
    expect(u).toBe(7.5);
    expect(quantile([3, 1, 2, 10], 0.5)).toBe(2.5);
  });

  it('estimates a shift by the median pairwise difference, which one stall does not move', () => {
    // Differences: −1 0 1 1 2 3 3 4 5, median 2.
    expect(hodgesLehmannShift([5, 7, 9], [4, 5, 6])).toBe(2);
    expect(hodgesLehmannShift(jitter(1).map((ms, i) => (i === 0 ? ms + 500 : ms + 0.3)), jitter(1))).toBeCloseTo(0.3, 1);
  });

  it('finds parity between two samples of the same distribution', () => {
    expect(judgeParity(jitter(1), jitter(2), HTTP_TOLERANCE).parity).toBe(true);
  });

  it('flags a 1 ms oracle hidden in 4 ms of jitter', () => {
    const verdict = judgeParity(jitter(1), jitter(2).map((ms) => ms + 1), { milliseconds: 0.5, effect: 0.15 });
    expect(verdict.parity).toBe(false);
    expect(verdict.probabilityASlower).toBeLessThan(0.35);
  });
});

describe('client enumeration by timing over HTTP', () => {
  it(`takes as long to refuse an unknown client as a wrong secret (${SAMPLES} interleaved requests each)`, async () => {
    const stack = testStack();
    const post = (clientId: string, secret: string): Attempt => () =>
      timed(async () => {
        const response = await sendRaw(stack.apiUrl, {
          method: 'POST',
          path: '/oauth2/token',
          headers: { Authorization: basicAuthorization(clientId, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
        return response.status;
      });
    await expectTimingParity(
      () => post(unknownId(), wrongSecret())(),
      () => post(client.clientId, wrongSecret())(),
      client.clientId,
      HTTP_TOLERANCE,
    );
  }, 120_000);

  it(`takes as long to refuse an assertion for an unknown client as a forged one for a key client (${SAMPLES} each)`, async () => {
    const stack = testStack();
    const post = (body: string): Attempt => () =>
      timed(async () => {
        const response = await sendRaw(stack.apiUrl, {
          method: 'POST',
          path: '/oauth2/token',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
        return response.status;
      });
    await expectTimingParity(
      () => post(forgedAssertion(unknownId()))(),
      () => post(forgedAssertion(keyClientId))(),
      keyClientId,
      HTTP_TOLERANCE,
    );
  }, 120_000);
});

describe('client enumeration by timing in process (real DynamoDB and KMS emulators)', () => {
  let handler: Handler;
  let output: ReturnType<typeof captureOutput>;
  const secretsSent: string[] = [];

  beforeAll(async () => {
    const stack = testStack();
    vi.stubEnv('AWS_REGION', stack.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', stack.dynamodbEndpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_KMS', stack.kmsEndpoint);
    vi.stubEnv('CLIENTS_TABLE', stack.clientsTable);
    vi.stubEnv('SIGNING_KEY_ID', stack.signingKeyId);
    vi.stubEnv('ISSUER', stack.issuer);
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'token');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.resetModules();
    handler = (await import('../../functions/token/handler.js')).handler as Handler;
    output = captureOutput();
  });

  afterAll(() => {
    output.stop();
    vi.unstubAllEnvs();
  });

  const invoke = (target: Handler, clientId: string, secret: string): Attempt => () =>
    timed(async () => {
      secretsSent.push(secret);
      const event = tokenEvent({ headers: { Authorization: basicAuthorization(clientId, secret) }, body: 'grant_type=client_credentials' });
      return (await target(event, lambdaContext())).statusCode;
    });

  it(`takes as long to refuse an unknown client as a wrong secret in the deployed handler (${SAMPLES} each)`, async () => {
    await expectTimingParity(
      () => invoke(handler, unknownId(), wrongSecret())(),
      () => invoke(handler, client.clientId, wrongSecret())(),
      client.clientId,
      IN_PROCESS_TOLERANCE,
    );
  }, 120_000);

  it(`takes as long to refuse an assertion for an unknown client as a forged one in the deployed handler (${SAMPLES} each)`, async () => {
    const post = (body: string): Attempt => () =>
      timed(async () => (await handler(tokenEvent({ body }), lambdaContext())).statusCode);
    await expectTimingParity(
      () => post(forgedAssertion(unknownId()))(),
      () => post(forgedAssertion(keyClientId))(),
      keyClientId,
      IN_PROCESS_TOLERANCE,
    );
  }, 120_000);

  it('would notice a store that answers unknown clients without reading DynamoDB (the enumeration bug)', async () => {
    const stack = testStack();
    const real = dynamoClientStore(createDocumentClient(), stack.clientsTable);
    // Only the client under test is "known": everything else is answered from memory, as a cache or an
    // early return would, which makes unknown ids measurably faster.
    const leaky: ClientStore = { find: async (clientId) => (clientId === client.clientId ? real.find(clientId) : undefined) };
    const buggy = tokenEndpoint({
      config: { clientsTable: stack.clientsTable, signingKeyId: stack.signingKeyId, maxTokenLifetimeSeconds: 3600, issuer: stack.issuer, clientAssertionsTable: undefined, clockSkewSeconds: 30, region: stack.region },
      logger: new Logger({ logLevel: 'SILENT' }),
      clock: () => new Date(),
      clients: leaky,
      signer: kmsTokenSigner(createKmsClient(), stack.signingKeyId),
    });
    const samples = await interleaved(
      () => invoke(buggy, unknownId(), wrongSecret())(),
      () => invoke(buggy, client.clientId, wrongSecret())(),
      client.clientId,
    );
    const { verdict, description } = judgeBeyondLookup(samples, IN_PROCESS_TOLERANCE);
    expect(verdict.parity, description).toBe(false);
    expect(verdict.medianDifference).toBeLessThan(0);
  }, 120_000);

  it('logged each refusal with its reason, and none of the secrets it was sent', () => {
    const records = output.records();
    expect(records.filter((record) => record.reason === 'unknown_client').length).toBeGreaterThanOrEqual(SAMPLES);
    expect(records.filter((record) => record.reason === 'wrong_secret').length).toBeGreaterThanOrEqual(SAMPLES);
    expect(records.filter((record) => record.reason === 'bad_signature').length).toBeGreaterThanOrEqual(SAMPLES);
    const log = output.text();
    expect(secretsSent.filter((secret) => log.includes(secret))).toEqual([]);
  });
});
