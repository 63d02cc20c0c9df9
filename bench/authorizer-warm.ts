import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import { jwtVerify } from 'jose';
import { makeAccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { makeRoutePolicyBuilder } from '../functions/authorizer/route-policy.js';
import { accessRules, readAccessRules } from '#shared/access/access-rules.js';
import { makeTokenAuthorizer } from '../functions/authorizer/token-authorizer.js';
import { accessTokenClaims, signAccessToken } from '../functions/token/access-token.js';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { powertoolsRecorder } from '#shared/metrics/powertools-metrics.js';
import { samplingOptions, type BenchContext } from './lib/context.js';
import type { BenchmarkReport, Row, Target } from './lib/report.js';
import { sampleInterleaved, type CandidateResult } from './lib/sampler.js';

const ISSUER = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/v1';
const AUDIENCE = 'urn:oauth-cc:products';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:111122223333:abc123defg/v1/GET/products';
const CLOCK_SKEW_SECONDS = 30;
const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'scope'];

/** A token exactly as the token endpoint issues it (functions/token/access-token.ts), signed here instead of by KMS. */
async function issuedToken() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = verificationKeyFromSpki('arn:aws:kms:us-east-1:111122223333:key/bench', publicKey.export({ format: 'der', type: 'spki' }));
  const claims = accessTokenClaims({
    issuer: ISSUER,
    clientId: 'bench-client-0123456789abcdef',
    audience: AUDIENCE,
    scopes: ['products:read', 'products:write'],
    issuedAt: new Date(),
    lifetimeSeconds: 3600,
  });
  const token = await signAccessToken({ kid: async () => key.kid, sign: async (input) => sign('sha256', input, privateKey) }, key.kid, claims);
  return { key, token };
}

/** RFC 9068 §4 checks aws-jwt-verify leaves to the caller: typ and the claims the authorizer requires. */
function accessTokenCheck({ header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }): void {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (typ !== 'at+jwt' && typ !== 'application/at+jwt') throw new Error('typ');
  for (const claim of REQUIRED_CLAIMS) if (payload[claim] === undefined) throw new Error(claim);
}

/** What every JWT verifier must do at least: decode the signature and the claims, check the signature, parse the claims. */
function decodeVerifyParse(token: string, publicKey: KeyObject): unknown {
  const headerEnd = token.indexOf('.');
  const payloadEnd = token.indexOf('.', headerEnd + 1);
  const signature = Buffer.from(token.slice(payloadEnd + 1), 'base64url');
  if (!verify('RSA-SHA256', Buffer.from(token.slice(0, payloadEnd), 'latin1'), publicKey, signature)) throw new Error('signature');
  return JSON.parse(Buffer.from(token.slice(headerEnd + 1, payloadEnd), 'base64url').toString('utf8'));
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

export async function authorizerWarm(context: BenchContext): Promise<BenchmarkReport> {
  const { key, token } = await issuedToken();
  const signingInput = Buffer.from(token.slice(0, token.lastIndexOf('.')), 'latin1');
  const signature = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');

  const verifier = makeAccessTokenVerifier({ keys: [key], issuer: ISSUER, audience: AUDIENCE, clockSkewSeconds: CLOCK_SKEW_SECONDS });
  const silent = { info: () => undefined, error: () => undefined };
  // The real rule table: the row includes building (and, once per scope set, remembering) the policy.
  // The revocation read is a network round trip, measured against the bench stack in its own row; here it
  // answers at once so this row is the verifier and policy alone.
  const revocations = { isRevoked: async () => false };
  const authorize = makeTokenAuthorizer({ loadVerifier: async () => verifier, policyFor: makeRoutePolicyBuilder(readAccessRules(accessRules)), revocations, logger: silent });
  // The handler as deployed: the same authorizer recording its decision through Powertools Metrics and flushing the
  // invocation's EMF record (JSON.stringify and a console write), here into a stream that discards it.
  const metrics = new Metrics({ namespace: 'Bench', serviceName: 'authorizer' });
  (metrics as unknown as { console: Console }).console = new Console({ stdout: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  const authorizeWithMetrics = makeTokenAuthorizer({
    loadVerifier: async () => verifier,
    policyFor: makeRoutePolicyBuilder(readAccessRules(accessRules)),
    revocations,
    logger: silent,
    metrics: powertoolsRecorder(metrics),
  });
  const authorizeAndFlush = async (e: APIGatewayTokenAuthorizerEvent) => {
    try {
      return await authorizeWithMetrics(e);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
  const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken: `Bearer ${token}` };

  // The decision as deployed for a token the gateway has not cached: the revocation read is a strongly
  // consistent BatchGetItem of two keys against the bench stack's DynamoDB (dynalite on loopback here; a
  // regional DynamoDB round trip in AWS is typically a few milliseconds).
  const { stack } = await context.inProcessStack();
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.info.dynamodbEndpoint, region: stack.info.region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
  );
  const authorizeWithRevocationRead = makeTokenAuthorizer({
    loadVerifier: async () => verifier,
    policyFor: makeRoutePolicyBuilder(readAccessRules(accessRules)),
    revocations: dynamoRevocationStore(documents, stack.info.revocationsTable),
    logger: silent,
  });

  const joseOptions = {
    algorithms: ['RS256'],
    typ: 'at+jwt',
    issuer: ISSUER,
    audience: AUDIENCE,
    clockTolerance: CLOCK_SKEW_SECONDS,
    requiredClaims: REQUIRED_CLAIMS,
  };
  const joseKey = ({ kid }: { kid?: string }) => {
    if (kid !== key.kid) throw new Error('unknown kid');
    return key.publicKey;
  };

  const awsVerifier = JwtRsaVerifier.create({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: 'https://jwks.invalid/.well-known/jwks.json',
    graceSeconds: CLOCK_SKEW_SECONDS,
    customJwtCheck: accessTokenCheck,
  });
  awsVerifier.cacheJwks({ keys: [{ ...key.jwk }] });

  // Every candidate must accept the token before anything is timed.
  if (!verify('RSA-SHA256', signingInput, key.publicKey, signature)) throw new Error('floor: the signature does not verify');
  await authorize(event);
  await authorizeAndFlush(event);
  await authorizeWithRevocationRead(event);
  await jwtVerify(token, joseKey, joseOptions);
  await awsVerifier.verify(token);
  awsVerifier.verifySync(token);

  context.progress('authorizer: sampling crypto.verify, our handler and verifier, jose, aws-jwt-verify (interleaved)');
  const results = await sampleInterleaved(
    [
      { name: 'floor: crypto.verify RS256 (signature only)', call: () => verify('RSA-SHA256', signingInput, key.publicKey, signature) },
      { name: 'reference: decode + crypto.verify + JSON.parse, no checks', call: () => decodeVerifyParse(token, key.publicKey) },
      { name: 'ours: authorizer handler (header → policy)', call: () => authorize(event) },
      { name: 'ours: access-token verifier', call: () => verifier(token, METHOD_ARN) },
      { name: 'ours: authorizer handler + EMF metrics record (as deployed)', call: () => authorizeAndFlush(event) },
      { name: 'jose 6 jwtVerify, same checks', call: () => jwtVerify(token, joseKey, joseOptions) },
      { name: 'aws-jwt-verify verify(), cached JWKS', call: () => awsVerifier.verify(token) },
      { name: 'aws-jwt-verify verifySync(), cached JWKS', call: () => awsVerifier.verifySync(token) },
      { name: 'ours: uncached decision with the revocation read (BatchGetItem, local DynamoDB)', call: () => authorizeWithRevocationRead(event) },
    ],
    samplingOptions(context),
  );
  const [floor, leastWork, handler, verifierOnly, withMetrics, jose, awsAsync, awsSync, withRevocationRead] = results;
  const rateOf = (result: CandidateResult | undefined) => result?.rate.median ?? Number.NaN;
  const floorRate = rateOf(floor);
  const rows: Row[] = results.map((result) => ({
    name: result.name,
    unit: 'µs',
    median: result.latencyMs.median * 1000,
    p99: result.latencyMs.p99 * 1000,
    rate: result.rate.median,
    ratio: { value: result.rate.median / floorRate, against: 'floor (rate)' },
    note: `cpu ${(result.cpuMs.median * 1000).toFixed(1)} µs/call`,
  }));

  const handlerRate = rateOf(handler);
  const bestAws = Math.max(rateOf(awsAsync), rateOf(awsSync));
  const metricsRate = rateOf(withMetrics);
  const targets: Target[] = [
    {
      description: 'authorizer handler ≥ 0.8× the crypto.verify floor (invocations/s)',
      met: handlerRate >= 0.8 * floorRate,
      explanation:
        `crypto.verify is ${percent(floor!.latencyMs.median / handler!.latencyMs.median)} of a handler call. The least any JWT verifier adds ` +
        `(decoding signature and claims, JSON.parse; reference row) already brings the floor to ${(rateOf(leastWork) / floorRate).toFixed(2)}×; ` +
        'the rest is the strict checks (canonical base64url, UTF-8, claims), the scheme check, the stage ARN, the policy lookup and answer, and the one await of the revocation check (docs/performance.md has the profile).',
      measured:
        `${(handlerRate / floorRate).toFixed(2)}× (${Math.round(handlerRate)} vs ${Math.round(floorRate)} /s); ` +
        `by median latency ${(floor!.latencyMs.median / handler!.latencyMs.median).toFixed(2)}×, by CPU time ${(floor!.cpuMs.median / handler!.cpuMs.median).toFixed(2)}×`,
    },
    {
      description: 'authorizer handler faster than jose.jwtVerify',
      met: handlerRate > rateOf(jose),
      measured: `${(handlerRate / rateOf(jose)).toFixed(2)}× jose`,
    },
    {
      description: "authorizer handler faster than aws-jwt-verify (the faster of verify() and verifySync())",
      met: handlerRate > bestAws,
      measured: `${(handlerRate / bestAws).toFixed(2)}× aws-jwt-verify`,
    },
  ];

  return {
    id: 'authorizer',
    title: '1. Authorizer, warm (in-process, one valid RS256 token)',
    rows,
    targets,
    notes: [
      'Calls run back to back on one thread; "per s" is the median over rounds of calls/s, latency is per call.',
      'The handler row is makeTokenAuthorizer with its verifier already loaded (no KMS call): bearer parsing, verification, policy.',
      `Sampling ${results[0]?.stable ? 'settled' : 'did not settle'} within tolerance after ${results[0]?.rounds} interleaved rounds (${results[0]?.calls} calls per candidate).`,
      `The verifier alone: ${(rateOf(verifierOnly) / floorRate).toFixed(2)}× the floor.`,
      `The EMF metrics record costs the handler ${((withMetrics!.latencyMs.median - handler!.latencyMs.median) * 1000).toFixed(0)} µs per decision: ` +
        `${(metricsRate / handlerRate).toFixed(2)}× the handler without metrics, ${(metricsRate / floorRate).toFixed(2)}× the floor (${Math.round(metricsRate)} vs ${Math.round(handlerRate)} /s).`,
      `An uncached decision with the revocation read: ${(withRevocationRead!.latencyMs.median * 1000).toFixed(0)} µs median, ` +
        `${(rateOf(withRevocationRead) / rateOf(verifierOnly)).toFixed(3)}× the verifier alone (invocations/s): the read dominates; decisions API Gateway serves from its cache pay neither.`,
    ],
    details: { results, tokenLength: token.length },
  };
}
