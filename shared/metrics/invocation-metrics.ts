/**
 * What a function records about one invocation. The figures leave as one CloudWatch embedded-metric-format
 * record per invocation (powertools-metrics.ts), written to the function's log: no PutMetricData call on the
 * request path, and nothing to pay for until CloudWatch extracts them.
 *
 * Dimensions are few and fixed (the service, plus one bounded value such as an OAuth error code): each
 * distinct combination is a custom metric billed per month. Unbounded values (a client id, a request id)
 * are properties: in the record for Logs Insights to group by, not metrics.
 */
export interface InvocationMetrics {
  /**
   * Counts the invocation's outcome once under `dimensions` (values from a closed set). The dimensions
   * belong to the whole record, so an invocation counts exactly one outcome.
   */
  count(name: MetricName, dimensions?: Readonly<Record<string, string>>): void;
  /** A duration of this invocation, in milliseconds. */
  milliseconds(name: MetricName, value: number): void;
  /** A searchable value that is not a dimension. Never a secret, a header, a body or a token. */
  property(key: string, value: string | number): void;
}

/** Every metric the functions emit, so the template's alarms and dashboard can be checked against one list. */
export const METRIC_NAMES = [
  'TokensIssued',
  'Refusals',
  'DependencyFailures',
  'ServerErrors',
  'KmsSignLatency',
  'AuthorizerDecisions',
  'RevocationRequests',
  'IntrospectionRequests',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** For tests and benchmarks that do not look at metrics. */
export const noMetrics: InvocationMetrics = {
  count: () => undefined,
  milliseconds: () => undefined,
  property: () => undefined,
};
