// The stage's access-log line (AccessLogSetting.Format), with its $context variables filled in as API Gateway
// does for access logging: a variable without a value becomes "-".
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
//
// Only what the gateway knows about a request goes in: ids, method, resource, status, latencies and the
// authorizer's context and error; never a header, a query string or a body.

/** What one request adds to the access log, by variable name without `$context.` (`authorizer.clientId`, …). */
export type AccessLogVariables = Readonly<Record<string, string | number | undefined>>;

const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g;

export function accessLogLine(format: string, variables: AccessLogVariables): string {
  return format.replace(VARIABLE, (_whole, name: string) => {
    const value = variables[name];
    if (value === undefined || value === '') return '-';
    // API Gateway writes values unescaped; escaping quotes and backslashes keeps every local line parseable JSON
    // while leaving ordinary values byte for byte the same.
    return JSON.stringify(String(value)).slice(1, -1);
  });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** $context.requestTime: CLF-formatted, e.g. 06/Mar/2025:13:04:05 +0000. */
export function requestTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
}

/** The log-sink source of access-log lines, named like the stack's access log group (…/api-access). */
export const ACCESS_LOG_SOURCE = 'api-access';
