import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executionEnvironment } from '../../local/runtime/lambda-environment.js';
import type { LogSink } from '../../local/runtime/log-sink.js';
import { runningStackFunctions, startLocalStack, type RunningLocalStack } from '../../local/stack/local-stack.js';
import type { StackInfo } from '../../local/stack-info.js';
import type { LoadedTemplate } from '../../local/template/index.js';

/** What the local stack server (bench/servers/local-stack-server.ts) reports when it is ready. */
export type StackServerInfo = StackInfo & { demoClient: { clientId: string; clientSecret: string } };

/** A local stack (dynalite, KMS emulator, gateway) on free ports and a throwaway data directory. */
export interface BenchStack {
  stack: RunningLocalStack;
  template: LoadedTemplate;
  /** The environment Lambda would give `logicalId` on this stack: template variables, endpoints, credentials. */
  functionEnv(logicalId: string): Record<string, string>;
  stop(): Promise<void>;
}

// The bench measures the server, not the token route's throttle (TokenRateLimit, which the local gateway
// applies as API Gateway does): a limit no load here reaches.
const BENCH_PARAMETERS = { TokenRateLimit: '1000000', TokenBurstLimit: '1000000' };

/**
 * The functions of `templatePath` as they would run on this stack, each environment derived the way the
 * local stack derives its own (another commit's template.yaml gets its functions' variables the same way).
 */
export async function stackFunctions(info: StackInfo, templatePath?: string): Promise<Pick<BenchStack, 'template' | 'functionEnv'>> {
  const { template, baseEnv } = await runningStackFunctions(info, templatePath, BENCH_PARAMETERS);
  return {
    template,
    functionEnv(logicalId) {
      const fn = template.functions[logicalId];
      if (fn === undefined) throw new Error(`${templatePath ?? 'template.yaml'} has no function ${logicalId}`);
      return executionEnvironment(fn, template.pseudo, baseEnv).env;
    },
  };
}

export async function startBenchStack(log: LogSink = () => undefined): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'oauth-cc-bench-'));
  const stack = await startLocalStack({ dataDir, port: 0, log, parameterOverrides: BENCH_PARAMETERS });
  return {
    stack,
    ...(await stackFunctions(stack.info)),
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
