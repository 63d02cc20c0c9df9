import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { InvocationMetrics } from './invocation-metrics.js';

/**
 * One Powertools Metrics instance per function: namespace from POWERTOOLS_METRICS_NAMESPACE (the template's
 * MetricsNamespace parameter), the `service` dimension from POWERTOOLS_SERVICE_NAME. Records are flushed once
 * per invocation: by Powertools' middy middleware (logMetrics) or by publishStoredMetrics().
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/metrics/
 */
export function createMetrics(): { metrics: Metrics; recorder: InvocationMetrics } {
  const metrics = new Metrics();
  return { metrics, recorder: powertoolsRecorder(metrics) };
}

export function powertoolsRecorder(metrics: Metrics): InvocationMetrics {
  return {
    count(name, dimensions = {}) {
      // Two dimension sets for this record (Powertools addDimensions): `service` plus these, for the breakdown,
      // and `service` alone, so alarms and rates read one metric instead of summing every combination.
      if (Object.keys(dimensions).length > 0) metrics.addDimensions({ ...dimensions }).addDimensions({});
      metrics.addMetric(name, MetricUnit.Count, 1);
    },
    milliseconds(name, value) {
      metrics.addMetric(name, MetricUnit.Milliseconds, value);
    },
    property(key, value) {
      metrics.addMetadata(key, String(value));
    },
  };
}

/** A function's Powertools instance (for flushing) and the port its code records through. */
export type FunctionMetrics = ReturnType<typeof createMetrics>;
