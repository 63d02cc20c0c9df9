import { startGateway, type Gateway } from '../../local/gateway/server.js';
import { runningStackFunctions } from '../../local/stack/local-stack.js';
import { applyEnvironmentOverrides, type EnvironmentOverrides } from '../../local/template/index.js';
import { testStack } from './stack-clients.js';

/**
 * The test stack's functions and tables behind a gateway of one test file's own, so the invocations it
 * counts are that file's alone; optionally with other template parameters (a short authorizer cache) or
 * function environments (a dependency made unreachable).
 */
export interface CountingGateway {
  gateway: Gateway;
  url(path: string): string;
  invocations(functionId: string): number;
  /** Every line `functionId` wrote to its log so far. */
  logLines(functionId: string): string[];
  close(): Promise<void>;
}

export async function countingGateway(
  options: { environment?: EnvironmentOverrides; parameters?: Readonly<Record<string, string>> } = {},
): Promise<CountingGateway> {
  const { template, baseEnv } = await runningStackFunctions(testStack(), undefined, options.parameters);
  const served = options.environment ? applyEnvironmentOverrides(template, options.environment) : template;
  const lines: string[] = [];
  const gateway = await startGateway({ template: served, baseEnv, log: (source, line) => lines.push(`${source}\t${line}`) });
  return {
    gateway,
    url: (path) => `${gateway.url}${path}`,
    // The runtime writes one REPORT line per invocation before the invocation settles.
    invocations: (functionId) => lines.filter((line) => line.startsWith(`${functionId}\tREPORT RequestId:`)).length,
    logLines: (functionId) => lines.filter((line) => line.startsWith(`${functionId}\t`)).map((line) => line.slice(functionId.length + 1)),
    close: () => gateway.close(),
  };
}
