import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeClientRegistry } from '#shared/clients/client-registry.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { StackInfo } from '../local/stack-info.js';
import { startLocalStack } from '../local/stack/local-stack.js';
import { parseLoadArguments, USAGE, UsageError } from './load/load-args.js';
import { formatLoadReport, loadFailures, runLoad } from './load/load-driver.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';

/**
 * `npm run load`: drives a local stack with autocannon (200 connections for 30 s by default), mixing
 * token requests and protected calls, and exits non-zero on any connection error, 5xx or unexpected
 * status. Without --stack-file it starts its own stack on free ports and a throwaway data directory, so
 * it never disturbs a running `npm start`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

type Target = Pick<StackInfo, 'apiUrl' | 'tokenEndpoint' | 'dynamodbEndpoint' | 'region' | 'clientsTable' | 'revocationsTable' | 'audience'>;

async function main(argv: string[]): Promise<number> {
  const args = parseLoadArguments(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  let stack: Target;
  let stopStack = async (_keepLogs: boolean): Promise<void> => {};
  if (args.stackFile === undefined) {
    const dataDir = await mkdtemp(join(tmpdir(), 'oauth-cc-load-'));
    const logFile = join(dataDir, 'functions.log');
    const log = createWriteStream(logFile);
    console.log('Starting a local stack for the run…');
    // Its own stack measures the server, not the token route's throttle (TokenRateLimit/TokenBurstLimit, which
    // the local gateway applies as API Gateway does; a --stack-file stack keeps the template's limits).
    const running = await startLocalStack({
      dataDir,
      port: 0,
      log: (source, line) => log.write(`${source}\t${line}\n`),
      parameterOverrides: { TokenRateLimit: '1000000', TokenBurstLimit: '1000000' },
    });
    stack = running.info;
    stopStack = async (keepLogs) => {
      await running.stop();
      await new Promise((resolve) => log.end(resolve));
      if (keepLogs) console.log(`Function and gateway logs of the run: ${logFile}`);
      else await rm(dataDir, { recursive: true, force: true });
    };
  } else {
    stack = JSON.parse(await readFile(args.stackFile, 'utf8')) as Target;
  }

  // A client of its own, removed again after the run, so a developer's stack keeps only what it had.
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: LOCAL_CREDENTIALS }));
  const registry = makeClientRegistry({
    repository: dynamoClientRepository({ documentClient, tableName: stack.clientsTable }),
    revocations: dynamoRevocationStore(documentClient, stack.revocationsTable),
    defaults: { audience: stack.audience },
  });
  const { client, clientSecret } = await registry.createClient({ name: 'load test', scopes: ['products:read'] });

  let failures: string[];
  // Logs are kept unless the run ends cleanly: they are where a 5xx explains itself.
  let keepLogs = true;
  try {
    console.log(`Driving ${stack.apiUrl} with ${args.connections} connections for ${args.durationSeconds} s (1 token request per ${args.callsPerTokenRequest} GET /products)…`);
    const report = await runLoad({
      target: stack,
      client: { clientId: client.clientId, clientSecret },
      connections: args.connections,
      durationSeconds: args.durationSeconds,
      callsPerTokenRequest: args.callsPerTokenRequest,
      onTick: (completed) => process.stdout.write(`\r  ${completed} requests`),
    });
    process.stdout.write('\n');
    console.log(formatLoadReport(report));
    failures = loadFailures(report);
    keepLogs = failures.length > 0;
  } finally {
    await registry.deleteClient(client.clientId).catch(() => undefined);
    documentClient.destroy();
    await stopStack(keepLogs);
  }
  if (failures.length > 0) {
    console.error(`FAILED: ${failures.join('; ')}`);
    return 1;
  }
  console.log('OK: no errors, no 5xx, every response as expected.');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : `Load run failed: ${(error as Error).message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
