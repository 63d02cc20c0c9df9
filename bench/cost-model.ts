import type { CandidateResult } from './lib/sampler.js';
import type { BenchContext } from './lib/context.js';
import type { BenchmarkReport, Row } from './lib/report.js';

/**
 * List prices, us-east-1, as they stood when this was written (checked November 2026 against the sources
 * named; re-check before quoting). Each is used exactly as named below.
 */
export const PRICES = {
  checked: '2026-11',
  apiGatewayRestPerMillion: 3.5, // REST API, first 333 M requests/month — aws.amazon.com/api-gateway/pricing
  lambdaRequestsPerMillion: 0.2, // aws.amazon.com/lambda/pricing
  lambdaArmPerGbSecond: 0.0000133334, // arm64, first 7.5 B GB-s/month — aws.amazon.com/lambda/pricing
  // KMS bills requests on RSA_2048 keys at the symmetric rate (price-list usage type KMS-Requests-Asymmetric-RSA_2048),
  // other asymmetric key specs at $0.15 per 10,000 (KMS-Requests-Asymmetric) — aws.amazon.com/kms/pricing.
  kmsRsa2048PerTenThousand: 0.03,
  kmsOtherAsymmetricPerTenThousand: 0.15,
  kmsKeyPerMonth: 1,
  // On-demand read request units after the 1 November 2024 price cut — aws.amazon.com/dynamodb/pricing/on-demand.
  dynamodbReadRequestUnitsPerMillion: 0.125,
  cloudWatchLogsIngestionPerGb: 0.5, // standard log class — aws.amazon.com/cloudwatch/pricing
  // Cognito user pools, machine-to-machine: per successful token request, first tier, graduated below that at
  // volume, plus $6 per app client per month; charged since the May 2024 pricing change — aws.amazon.com/cognito/pricing.
  cloudWatchCustomMetricPerMonth: 0.3, // first 10,000 metrics — aws.amazon.com/cloudwatch/pricing
  cloudWatchAlarmMetricPerMonth: 0.1, // standard resolution, per metric an alarm reads
  cloudWatchDashboardPerMonth: 3, // beyond the first 3 dashboards of an account
  cognitoM2mPerThousandTokens: 2.25,
  cognitoM2mPerAppClientMonth: 6,
} as const;

/** Default "Cryptographic operations (RSA) request rate" quota (L-2AC98190), shared by every RSA KMS key in an account and Region. */
export const KMS_RSA_REQUESTS_PER_SECOND = 500;

/** Lambda's START, END and REPORT lines per invocation (~100 bytes each), which CloudWatch Logs ingests too. */
const PLATFORM_LOG_BYTES = 300;
/** One EMF record per invocation (shared/metrics) and one access-log line per request (template AccessLogSetting). */
const EMF_RECORD_BYTES = 330;
const ACCESS_LOG_LINE_BYTES = 330;
/**
 * The operations part of template.yaml that bills monthly whatever the traffic: custom metrics (each name ×
 * dimension combination that occurs; every refusal reason and decision outcome counted, ≈ 40 at most), the
 * metrics the alarms read (13 single-metric alarms + a 5xx-rate alarm over 4 metrics), one dashboard.
 */
const CUSTOM_METRICS_AT_MOST = 40;
const ALARM_METRICS = 17;
/** GetItem, eventually consistent, item under 4 KB (shared/clients/dynamo-client-store.ts). */
const READ_UNITS_PER_GET_ITEM = 0.5;
/** The authorizer's revocation read: two keys, strongly consistent, items under 4 KB (shared/revocation). */
const READ_UNITS_PER_REVOCATION_CHECK = 2;
const MILLION = 1_000_000;
/**
 * Cold starts per invocation under two stated traffic patterns. Steady: 10 requests/s served by one execution
 * environment, which Lambda replaces every few hours (taken as 2 h) — one INIT per 72,000 invocations. Sparse: one
 * request every 15 minutes or more, longer than an idle environment is kept — every invocation is a cold start.
 */
const COLD_START_PATTERNS = [
  { name: 'steady 10 req/s, environments replaced every 2 h', rate: 1 / (10 * 2 * 3600) },
  { name: 'sparse, one request per 15 min', rate: 1 },
] as const;

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

interface LambdaCost {
  requests: number;
  duration: number;
}

function lambdaPerMillion(billedMs: number, memoryMb: number): LambdaCost {
  return {
    requests: PRICES.lambdaRequestsPerMillion,
    duration: MILLION * (billedMs / 1000) * (memoryMb / 1024) * PRICES.lambdaArmPerGbSecond,
  };
}

const dollars = (value: number) => (value >= 100 ? `$${Math.round(value).toLocaleString('en-US')}` : `$${value.toFixed(value < 1 ? 3 : 2)}`);

export async function costModel(context: BenchContext): Promise<BenchmarkReport> {
  const handler = context.earlier.get('token-handler')?.details as
    | { perToken: { dynamodbGetItem: number; kmsSign: number; logBytes: number }; results: CandidateResult[] }
    | undefined;
  const authorizer = context.earlier.get('authorizer')?.details as { results: CandidateResult[] } | undefined;
  if (handler === undefined || authorizer === undefined) throw new Error('the cost model needs the authorizer and token-handler benchmarks of this run');

  const memoryMb = 512; // template.yaml Globals.Function.MemorySize
  const tokenMs = handler.results[0]!.latencyMs.median;
  const authorizerMs = authorizer.results.find((r) => r.name.startsWith('ours: authorizer handler'))!.latencyMs.median;
  const decisionMs = authorizer.results.find((r) => r.name.startsWith('ours: uncached decision with the revocation read'))?.latencyMs.median ?? authorizerMs;
  const { dynamodbGetItem, kmsSign, logBytes } = handler.perToken;

  // Per 1 M tokens.
  const tokenLambda = lambdaPerMillion(Math.ceil(tokenMs), memoryMb);
  const kms = kmsSign * MILLION * (PRICES.kmsRsa2048PerTenThousand / 10_000);
  const kmsIfOtherAsymmetric = kmsSign * MILLION * (PRICES.kmsOtherAsymmetricPerTenThousand / 10_000);
  const dynamodb = (dynamodbGetItem * READ_UNITS_PER_GET_ITEM * MILLION * PRICES.dynamodbReadRequestUnitsPerMillion) / MILLION;
  const logs = (MILLION * (logBytes + PLATFORM_LOG_BYTES) * PRICES.cloudWatchLogsIngestionPerGb) / 1e9;
  const operationsLogsPerMillion = (MILLION * (EMF_RECORD_BYTES + ACCESS_LOG_LINE_BYTES) * PRICES.cloudWatchLogsIngestionPerGb) / 1e9;
  const perMillionTokens = PRICES.apiGatewayRestPerMillion + tokenLambda.requests + tokenLambda.duration + kms + dynamodb + logs + operationsLogsPerMillion;
  const cognito = PRICES.cognitoM2mPerThousandTokens * 1000;
  const perTenMsBilled = lambdaPerMillion(10, memoryMb).duration;

  // Per 1 M protected requests: API Gateway always; the authorizer (with its revocation read) only on a
  // decision-cache miss.
  const authorizerLambda = lambdaPerMillion(Math.ceil(decisionMs), memoryMb);
  const revocationReads = READ_UNITS_PER_REVOCATION_CHECK * PRICES.dynamodbReadRequestUnitsPerMillion;
  const authorizerPerMillion =
    authorizerLambda.requests +
    authorizerLambda.duration +
    revocationReads +
    (MILLION * (PLATFORM_LOG_BYTES + EMF_RECORD_BYTES) * PRICES.cloudWatchLogsIngestionPerGb) / 1e9;
  const accessLogPerMillion = (MILLION * ACCESS_LOG_LINE_BYTES * PRICES.cloudWatchLogsIngestionPerGb) / 1e9;
  const protectedAt = (hitRatio: number) => ({
    hitRatio,
    authorization: (1 - hitRatio) * authorizerPerMillion,
    withGateway: PRICES.apiGatewayRestPerMillion + accessLogPerMillion + (1 - hitRatio) * authorizerPerMillion,
  });
  const monthlyOperations =
    CUSTOM_METRICS_AT_MOST * PRICES.cloudWatchCustomMetricPerMonth + ALARM_METRICS * PRICES.cloudWatchAlarmMetricPerMonth + PRICES.cloudWatchDashboardPerMonth;
  const protectedRequests = [protectedAt(0), protectedAt(0.9)];

  // Lambda bills the INIT phase like invocation time (since 1 August 2025, for on-demand functions with managed
  // runtimes — aws.amazon.com/lambda/pricing): module import and static set-up, measured by the cold-start run.
  const coldStart = context.earlier.get('cold-start')?.details as { measured: Record<string, { kind: string; import: { median: number } }> } | undefined;
  const initMs = (fn: string) => coldStart?.measured[fn]?.import.median;
  const initRows: Row[] = ['TokenFunction', 'AuthorizerFunction'].flatMap((fn) => {
    const ms = initMs(fn);
    if (ms === undefined) return [];
    const perColdStart = lambdaPerMillion(Math.ceil(ms), memoryMb).duration / MILLION;
    return [
      {
        name: `${fn} INIT: ${Math.ceil(ms)} ms billed per cold start`,
        unit: 'ms' as const,
        note: `${dollars(perColdStart * MILLION)} per 1 M cold starts; per 1 M invocations ` + COLD_START_PATTERNS.map(({ name, rate }) => `${name}: ${dollars(rate * MILLION * perColdStart)}`).join('; '),
      },
    ];
  });

  const tokensPerSecond = KMS_RSA_REQUESTS_PER_SECOND / Math.max(kmsSign, 1e-9);
  const rows: Row[] = [
    {
      name: 'per 1 M tokens, ours (API Gateway, Lambda, KMS Sign, DynamoDB read, logs)',
      unit: 'ms',
      note: `${dollars(perMillionTokens)}, 1/${Math.round(cognito / perMillionTokens)} of Cognito M2M (KMS ${dollars(kms)}, API GW ${dollars(PRICES.apiGatewayRestPerMillion)}, Lambda ${dollars(tokenLambda.requests + tokenLambda.duration)}, DynamoDB ${dollars(dynamodb)}, logs ${dollars(logs)}, metrics and access log ${dollars(operationsLogsPerMillion)})`,
    },
    {
      name: 'per month, whatever the traffic: custom metrics, alarms, dashboard',
      unit: 'ms',
      note: `at most ${dollars(monthlyOperations)} (${CUSTOM_METRICS_AT_MOST} metrics × ${dollars(PRICES.cloudWatchCustomMetricPerMonth)}, ${ALARM_METRICS} alarm metrics × ${dollars(PRICES.cloudWatchAlarmMetricPerMonth)}, a dashboard ${dollars(PRICES.cloudWatchDashboardPerMonth)}), plus ${dollars(PRICES.kmsKeyPerMonth)} per KMS key`,
    },
    { name: 'per 1 M tokens, Amazon Cognito M2M (first price tier)', unit: 'ms', note: `${dollars(cognito)} + ${dollars(PRICES.cognitoM2mPerAppClientMonth)} per app client per month` },
    ...protectedRequests.map(({ hitRatio, authorization, withGateway }) => ({
      name: `per 1 M protected requests, authorizer cache hit ${Math.round(hitRatio * 100)}%`,
      unit: 'ms' as const,
      note: `authorization ${dollars(authorization)}; with API Gateway ${dollars(withGateway)} (the products function itself not included)`,
    })),
    ...initRows,
    { name: 'issuance ceiling at the default KMS RSA quota', unit: 'ms', rate: tokensPerSecond, note: `${KMS_RSA_REQUESTS_PER_SECOND} RSA requests/s per account and Region, shared by every RSA key` },
  ];
  return {
    id: 'cost',
    title: `6. Cost model (us-east-1 list prices, checked ${PRICES.checked})`,
    rows,
    targets: [],
    notes: [
      `From this run: ${kmsSign} KMS Sign and ${dynamodbGetItem} GetItem per token (counted by the emulators), ${Math.round(logBytes)} log bytes per token, ` +
        `token handler ${tokenMs.toFixed(2)} ms (billed ${Math.ceil(tokenMs)} ms; in AWS the KMS and DynamoDB round trips make it longer: each further 10 ms billed at ${memoryMb} MB adds ${dollars(perTenMsBilled)} per 1 M tokens), ` +
        `authorizer ${(authorizerMs * 1000).toFixed(0)} µs, ${(decisionMs * 1000).toFixed(0)} µs with the revocation read (billed ${Math.ceil(decisionMs)} ms; ` +
        `the read adds ${dollars(revocationReads)} of DynamoDB per 1 M uncached decisions).`,
      `API Gateway and KMS Sign are ${percent((PRICES.apiGatewayRestPerMillion + kms) / perMillionTokens)} of a token's cost. At $${PRICES.kmsOtherAsymmetricPerTenThousand} per 10,000 (the rate of asymmetric keys other than RSA_2048) it would be ${dollars(kmsIfOtherAsymmetric)} per 1 M tokens. Plus ${dollars(PRICES.kmsKeyPerMonth)} per key per month (two during a rotation).`,
      `The default quota allows ${Math.round(tokensPerSecond)} tokens/s (${(tokensPerSecond * 3600 / 1e6).toFixed(1)} M per hour) per account and Region, and the template throttles the token route at 100/s (burst 200). ` +
        'Clients must cache a token until shortly before it expires (default lifetime 3600 s) instead of asking per call: one token per client per hour leaves room for ~1.8 M clients.',
      initRows.length === 0
        ? 'INIT cost: run the cold-start benchmark in the same run (npm run bench) to price it.'
        : 'INIT is the import measured by the cold-start benchmark of this run (fresh node, bundle as built); Lambda adds its own runtime start, which it does not bill. At steady traffic INIT is noise; for sparse traffic it is a per-request cost of the same order as the invocation.',
      'Cognito M2M has no free tier for token requests; its rate falls at higher monthly volumes. API Gateway REST caches an authorizer decision per token at no extra charge.',
    ],
    details: { prices: PRICES, kmsRsaRequestsPerSecond: KMS_RSA_REQUESTS_PER_SECOND, perMillionTokens, cognito, protectedRequests, inputs: { tokenMs, authorizerMs, dynamodbGetItem, kmsSign, logBytes, memoryMb } },
  };
}
