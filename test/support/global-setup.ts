import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack/local-stack.js';
import type { TestStack } from './test-stack.js';

/**
 * One local stack for the whole run, on free ports and a throwaway data directory, so it never
 * collides with a developer's `npm start`. Every line the functions and the gateway log is appended to `logFile`,
 * which the secret-leak tests read.
 */
// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'oauth-cc-test-'));
  const logFile = join(dataDir, 'functions.log');
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    log: (source, line) => appendFileSync(logFile, `${source}\t${line}\n`),
    // Dozens of test files share this stack's token route at once; its throttle (the template's 100/s, burst
    // 200, applied by the local gateway) has tests of its own (test/gateway/throttling.test.ts) and must not
    // turn a busy run into 429s here.
    parameterOverrides: { TokenRateLimit: '1000000', TokenBurstLimit: '1000000' },
  });
  const testStack: TestStack = { ...stack.info, demoClientSecret: stack.demoClient.clientSecret, logFile };
  project.provide('stack', testStack);
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
