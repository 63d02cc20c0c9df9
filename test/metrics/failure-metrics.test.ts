// The outcomes the shared local stack cannot produce on demand without disturbing other tests (KMS throttling,
// an unreachable DynamoDB, an authorizer that cannot load its keys), through the real Powertools Metrics
// instance, its records read back from stdout as CloudWatch would.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientStore } from '#shared/clients/client-store.js';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import { createMetrics } from '#shared/metrics/powertools-metrics.js';
import { tokenEndpoint } from '../../functions/token/token-endpoint.js';
import { makeTokenAuthorizer } from '../../functions/authorizer/token-authorizer.js';
import { captureOutput } from '../token/support/log-capture.js';
import { basic, form, lambdaContext, REGION, tokenEvent } from '../token/support/proxy-events.js';
import { memoryClientStore, NOW, registeredClient } from '../token/support/registered-clients.js';

const alice = registeredClient({ clientId: 'alice' });
let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Test/OAuth');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'token');
  output = captureOutput();
});
afterEach(() => {
  output.stop();
  vi.unstubAllEnvs();
});

const emf = () => output.records().filter((record) => '_aws' in record);

function throwing(name: string): Error {
  return Object.assign(new Error(`${name} from the fake`), { name });
}

function endpointWith(ports: { clients?: ClientStore; sign?: () => Promise<Uint8Array> }) {
  return tokenEndpoint({
    config: { clientsTable: 'clients', signingKeyId: 'test-key', maxTokenLifetimeSeconds: 86_400, issuer: undefined, region: REGION, clientAssertionsTable: undefined, clockSkewSeconds: 30 },
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: createMetrics(),
    clock: () => NOW,
    clients: ports.clients ?? memoryClientStore(alice.client),
    signer: { kid: async () => 'kid-1', sign: ports.sign ?? (async () => new Uint8Array(256)) },
  });
}

const asAlice = () => tokenEvent({ headers: { Authorization: basic('alice', alice.secret) }, body: form({ grant_type: 'client_credentials' }) });

describe('dependency failures', () => {
  it.each([
    ['KMS', 'ThrottlingException', 'throttled'],
    ['KMS', 'TimeoutError', 'timeout'],
    ['KMS', 'DisabledException', 'needs-operator'],
    ['KMS', 'InternalFailure', 'unavailable'],
  ])('counts a %s %s as kind %s, with the SDK error name as a property', async (dependency, errorName, kind) => {
    const handler = endpointWith({
      sign: async () => {
        throw dependencyUnavailable('KMS', throwing(errorName));
      },
    });
    const response = await handler(asAlice(), lambdaContext());
    expect(response.statusCode).toBe(503);
    expect(emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [{ Namespace: 'Test/OAuth', Dimensions: [['service', 'dependency', 'kind'], ['service']], Metrics: [{ Name: 'DependencyFailures', Unit: 'Count' }] }],
        },
        service: 'token',
        dependency,
        kind,
        errorName,
        requestId: expect.any(String),
        function_request_id: expect.any(String),
        DependencyFailures: 1,
      },
    ]);
  });

  it('counts an unreachable DynamoDB under its own dependency', async () => {
    const clients: ClientStore = {
      find: async () => {
        throw dependencyUnavailable('DynamoDB', throwing('ProvisionedThroughputExceededException'));
      },
    };
    await endpointWith({ clients })(asAlice(), lambdaContext());
    expect(emf()).toEqual([expect.objectContaining({ dependency: 'DynamoDB', kind: 'throttled', DependencyFailures: 1 })]);
  });

  it('counts an unexpected failure as a server error and nothing else', async () => {
    const response = await endpointWith({
      sign: async () => {
        throw new TypeError('a bug');
      },
    })(asAlice(), lambdaContext());
    expect(response.statusCode).toBe(500);
    expect(emf()).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({ CloudWatchMetrics: [{ Namespace: 'Test/OAuth', Dimensions: [['service']], Metrics: [{ Name: 'ServerErrors', Unit: 'Count' }] }] }),
        ServerErrors: 1,
      }),
    ]);
  });

  it('flushes exactly one record per invocation', async () => {
    const handler = endpointWith({});
    await handler(asAlice(), lambdaContext());
    await handler(tokenEvent({ headers: { Authorization: basic('alice', 'wrong') }, body: form({ grant_type: 'client_credentials' }) }), lambdaContext());
    expect(emf().map((record) => Object.keys(record).filter((key) => ['TokensIssued', 'Refusals'].includes(key)))).toEqual([['TokensIssued'], ['Refusals']]);
  });
});

describe('authorizer cannot decide', () => {
  it('counts cannot-decide when the keys cannot be loaded', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'authorizer');
    const { metrics, recorder } = createMetrics();
    const authorize = makeTokenAuthorizer({
      revocations: { isRevoked: async () => false },
      loadVerifier: async () => {
        throw throwing('TimeoutError');
      },
      policyFor: () => ({ Version: '2012-10-17', Statement: [] }),
      logger: { info: () => undefined, error: () => undefined },
      metrics: recorder,
    });
    await expect(authorize({ type: 'TOKEN', authorizationToken: 'Bearer a.b.c', methodArn: 'arn:aws:execute-api:eu-west-1:111122223333:abc/v1/GET/products' })).rejects.toThrow('Service Unavailable');
    metrics.publishStoredMetrics();
    expect(emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [{ Namespace: 'Test/OAuth', Dimensions: [['service', 'outcome'], ['service']], Metrics: [{ Name: 'AuthorizerDecisions', Unit: 'Count' }] }],
        },
        service: 'authorizer',
        outcome: 'cannot-decide',
        route: 'GET /products',
        AuthorizerDecisions: 1,
      },
    ]);
  });
});
