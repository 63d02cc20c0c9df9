// CloudWatch embedded metric format, read back: what CloudWatch extracts from a log line. One metric datum
// per metric and per dimension set of a directive.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

export interface EmfDatum {
  namespace: string;
  name: string;
  unit: string;
  /** The dimension set's names with this record's values, in the directive's order. */
  dimensions: Record<string, string>;
  value: number;
  /** Non-dimension, non-metric members of the record (client id, request ids, …). */
  properties: Record<string, unknown>;
}

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit?: string }[];
}

/** The data of one log line, or undefined when the line is not an EMF record. */
export function readEmfLine(line: string): EmfDatum[] | undefined {
  if (!line.startsWith('{') || !line.includes('"CloudWatchMetrics"')) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const aws = record._aws as { CloudWatchMetrics?: Directive[] } | undefined;
  if (!Array.isArray(aws?.CloudWatchMetrics)) return undefined;
  const dimensionNames = new Set(aws.CloudWatchMetrics.flatMap((directive) => directive.Dimensions.flat()));
  const metricNames = new Set(aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)));
  const properties = Object.fromEntries(Object.entries(record).filter(([key]) => key !== '_aws' && !dimensionNames.has(key) && !metricNames.has(key)));
  return aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Metrics.flatMap((metric) =>
      [record[metric.Name]].flat().flatMap((value) =>
        typeof value !== 'number'
          ? []
          : directive.Dimensions.map((set) => ({
              namespace: directive.Namespace,
              name: metric.Name,
              unit: metric.Unit ?? 'None',
              dimensions: Object.fromEntries(set.map((key) => [key, String(record[key])])),
              value,
              properties,
            })),
      ),
    ),
  );
}
